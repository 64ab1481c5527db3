/**
 * Privileges a team role must not have. A team role is one database's: CREATEDB, CREATEROLE (in
 * PostgreSQL 15 it may then grant itself membership in any non-superuser role, another team's
 * included), membership in rds_superuser, pg_read_all_data and the like, or in another team's role
 * reach beyond it. The plan takes them away; what only a superuser can take away stops the plan.
 */
import type { PlanError } from '../model/change.js';
import type { DatabaseSpec } from '../model/spec.js';
import type { LiveState, RoleAttribute } from '../model/state.js';
import { roleNamesOf } from '../model/role-names.js';

/**
 * What the admin (NOSUPERUSER CREATEDB CREATEROLE, like RDS's master) may remove with ALTER ROLE.
 * PostgreSQL 15 lets only a superuser change SUPERUSER, REPLICATION and BYPASSRLS ("must be
 * superuser to change bypassrls attribute"), or revoke membership in a superuser role.
 */
export const REMOVABLE_ATTRIBUTES: readonly RoleAttribute[] = ['CREATEDB', 'CREATEROLE'];

const isSuperuserRole = (live: LiveState, name: string): boolean => live.roles.get(name)?.attributes?.includes('SUPERUSER') === true;

/** Team roles (ours for this file, or being adopted) holding what the admin cannot take away. */
export function unremovablePrivilegeErrors(spec: DatabaseSpec, live: LiveState): PlanError[] {
  const errors: PlanError[] = [];
  for (const name of [...new Set(Object.values(roleNamesOf(spec)))].sort()) {
    const role = live.roles.get(name);
    if (!role || (role.marker && role.marker.file !== spec.file)) continue;
    const held = [
      ...(role.attributes ?? []).filter((a) => !REMOVABLE_ATTRIBUTES.includes(a)),
      ...role.memberOf.filter((group) => isSuperuserRole(live, group)).map((group) => `membership in superuser role ${group}`),
    ];
    if (held.length === 0) continue;
    errors.push({
      database: spec.name,
      file: spec.file,
      code: 'role.superuser-privilege',
      message: `role ${name} has ${held.join(', ')}, which only a superuser can give or take away: the admin cannot correct it, so nothing is applied for ${spec.name}`,
      hint: `find out who gave it (on RDS only AWS holds a superuser); a superuser removes it with ALTER ROLE ${name} NOSUPERUSER NOREPLICATION NOBYPASSRLS or REVOKE`,
    });
  }
  return errors;
}
