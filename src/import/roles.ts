/**
 * Which existing roles of a hand-made database become its owner, read/write and read-only users.
 * Pure. The owner is kept as it is (the least destructive choice: no REASSIGN OWNED, no change of
 * the role an application runs as); the read/write user is the owner when it can log in, as
 * `CREATE DATABASE d OWNER d_user` made it; the read-only user is the one login role with CONNECT
 * that cannot write. Anything less clear is for a person to say (--rw, --ro).
 */

/** A role that can reach the database, as import sees it. */
export interface LegacyRole {
  readonly name: string;
  readonly login: boolean;
  readonly connectionLimit: number;
  /** Holds CONNECT on the database itself (not through PUBLIC). */
  readonly connect: boolean;
  /** Can INSERT into a table or CREATE in a schema of the database. */
  readonly writes: boolean;
  readonly memberOf: readonly string[];
}

export interface RoleChoice {
  readonly owner: string;
  readonly rw: string;
  readonly ro?: string;
  /** Login roles that can connect and are neither: they keep their access, unmanaged. */
  readonly others: readonly string[];
}

export type RoleMapping = { readonly ok: true; readonly roles: RoleChoice } | { readonly ok: false; readonly problem: string; readonly hint: string };

export interface RoleRequest {
  readonly owner: string;
  readonly roles: readonly LegacyRole[];
  readonly rw?: string;
  readonly ro?: string;
}

export function chooseRoles({ owner, roles, rw: askedRw, ro: askedRo }: RoleRequest): RoleMapping {
  const byName = new Map(roles.map((r) => [r.name, r]));
  const logins = roles.filter((r) => r.login && (r.connect || r.name === owner || r.memberOf.includes(owner)));
  const names = (list: readonly LegacyRole[]) => list.map((r) => r.name).join(', ') || '(none)';
  const rw = askedRw ?? pickRw(owner, logins);
  if (rw === undefined) {
    return {
      ok: false,
      problem: `cannot tell which login role is the read/write user; candidates: ${names(logins.filter((r) => r.writes))}`,
      hint: 'name it with --rw ROLE',
    };
  }
  if (!byName.get(rw)?.login) return { ok: false, problem: `${rw} is not a login role that can reach the database`, hint: 'name an existing login role with --rw' };
  const rest = logins.filter((r) => r.name !== rw && r.name !== owner);
  const readers = rest.filter((r) => !r.writes);
  const ro = askedRo ?? (readers.length === 1 ? readers[0]!.name : undefined);
  if (askedRo !== undefined && (!byName.get(askedRo)?.login || askedRo === rw || askedRo === owner)) {
    return { ok: false, problem: `${askedRo} cannot be the read-only user: it must be another existing login role`, hint: 'name another role with --ro, or leave it out' };
  }
  const others = rest.map((r) => r.name).filter((name) => name !== ro);
  return { ok: true, roles: { owner, rw, ...(ro === undefined ? {} : { ro }), others } };
}

function pickRw(owner: string, logins: readonly LegacyRole[]): string | undefined {
  if (logins.some((r) => r.name === owner)) return owner;
  const members = logins.filter((r) => r.memberOf.includes(owner));
  if (members.length === 1) return members[0]!.name;
  const writers = logins.filter((r) => r.writes);
  return writers.length === 1 ? writers[0]!.name : undefined;
}
