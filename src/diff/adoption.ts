/**
 * What `adopt: true` may take over. The file is reviewed, but written by a team: adopting must not
 * be a way to take another team's roles (stamp them ours, change their limits, rotate their
 * passwords). So a database is adopted only when it exists and is owned by the role the file names
 * as its owner, and a role only while everything it has lies inside that database: memberships
 * only among the file's roles (the admin may be a member, as the adoption makes it), objects owned,
 * privileges held and CONNECT only there. Roles carrying our marker were checked when adopted
 * (later drift on them is planned like any team role's); a marker for another file is ownership's
 * `role.claimed` error.
 */
import type { PlanError } from '../model/change.js';
import type { DatabaseSpec } from '../model/spec.js';
import type { LiveState, RoleFootprint } from '../model/state.js';
import { roleNamesOf } from '../model/role-names.js';
import { isManagedDatabase } from './ownership.js';

const ROLE_HINT =
  'adopt takes over only roles whose memberships, objects and privileges are all inside the database. If the role really ' +
  "belongs to this team, remove what ties it elsewhere first (REVOKE, or REASSIGN OWNED in that database); otherwise name the team's own role";

/** The roles a file's database uses: owner, read/write, and the read-only one when it asks for it. */
export function teamRoleNames(spec: DatabaseSpec): ReadonlySet<string> {
  const { owner, rw, ro } = roleNamesOf(spec);
  return new Set([owner, rw, ...(spec.users.readOnly ? [ro] : [])]);
}

export function adoptionErrors(spec: DatabaseSpec, live: LiveState, membersOf: ReadonlyMap<string, readonly string[]>): PlanError[] {
  if (spec.adopt !== true) return [];
  const base = { database: spec.name, file: spec.file };
  const db = live.databases.get(spec.name);
  if (!db) {
    return [
      {
        ...base,
        code: 'adopt.no-database',
        message: `database ${spec.name} does not exist on this instance: adopt: true takes over an existing database, so nothing is created or changed for it`,
        hint: 'to order a new database, remove adopt: true and users.owner/rw/ro; to adopt one, check the name against the instance',
      },
    ];
  }
  const errors: PlanError[] = [];
  const { owner } = roleNamesOf(spec);
  if (!isManagedDatabase(db, live) && db.owner !== owner) {
    errors.push({
      ...base,
      code: 'adopt.owner',
      message: `database ${spec.name} is owned by ${db.owner}, not by ${owner} (users.owner): adopting it would give the database to another role`,
      hint: 'name its owner as users.owner (platon-db import writes the owner it finds)',
    });
  }
  const team = teamRoleNames(spec);
  for (const name of [...new Set(Object.values(roleNamesOf(spec)))].sort()) {
    const role = live.roles.get(name);
    if (!role || role.marker) continue;
    const elsewhere = ties(name, team, spec.name, live, membersOf);
    if (elsewhere.length > 0) {
      errors.push({ ...base, code: 'adopt.role-elsewhere', message: `role ${name} cannot be adopted for ${spec.name}: ${elsewhere.join('; ')}`, hint: ROLE_HINT });
    }
  }
  return errors;
}

/** What ties `name` to anything outside database `database`, one phrase each. */
function ties(name: string, team: ReadonlySet<string>, database: string, live: LiveState, membersOf: ReadonlyMap<string, readonly string[]>): string[] {
  const whose = (other: string) => {
    const file = live.roles.get(other)?.marker?.file;
    return file ? ` (managed from ${file})` : '';
  };
  const groups = (live.roles.get(name)?.memberOf ?? []).filter((g) => !team.has(g)).map((g) => `it is a member of ${g}${whose(g)}`);
  const members = [...new Set(membersOf.get(name) ?? [])]
    .filter((m) => !team.has(m) && m !== live.admin)
    .sort()
    .map((m) => `${m}${whose(m)} is a member of it`);
  const footprints = (live.footprints?.get(name) ?? []).filter((f) => f.database !== database).map((f) => describe(f, name, live));
  return [...groups, ...members, ...footprints];
}

function describe(f: RoleFootprint, role: string, live: LiveState): string {
  const count = `${f.objects} object${f.objects === 1 ? '' : 's'}`;
  if (f.database === null) return f.kind === 'owns' ? 'it owns a tablespace' : 'it holds privileges on a tablespace';
  if (f.onDatabase && f.kind === 'owns') return `it owns database ${f.database}`;
  if (f.onDatabase) {
    const held = [...new Set(live.databases.get(f.database)?.acl.filter((e) => e.grantee === role).map((e) => e.privilege))].sort();
    return `it holds ${held.length > 0 ? held.join(', ') : 'privileges'} on database ${f.database}`;
  }
  if (f.kind === 'owns') return `it owns ${count} in database ${f.database}`;
  if (f.kind === 'privileges') return `it holds privileges on ${count} in database ${f.database}`;
  return `it is named in ${f.objects} row-level security polic${f.objects === 1 ? 'y' : 'ies'} in database ${f.database}`;
}
