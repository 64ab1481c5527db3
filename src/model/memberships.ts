/**
 * Who is a member of a database's roles by design: what the diff grants and verify accepts, from
 * this one place. The owner role has the admin (RDS workaround: the master is no superuser, so it
 * needs membership for CREATE DATABASE ... OWNER and ALTER DEFAULT PRIVILEGES FOR ROLE) and the
 * read/write user, unless the read/write user is the owner itself (an adopted database made with
 * CREATE DATABASE d OWNER d_user). An adopted read/write user that is not the owner keeps its
 * objects (no SET role), so the admin is a member of it too, to grant read access to what it creates.
 */
import type { RoleNames } from './role-names.js';

export function expectedMembers(names: RoleNames, admin: string, adopted: boolean): ReadonlyMap<string, readonly string[]> {
  const { owner, rw } = names;
  const members = new Map<string, readonly string[]>([[owner, rw === owner ? [admin] : [admin, rw]]]);
  if (adopted && rw !== owner) members.set(rw, [admin]);
  return members;
}
