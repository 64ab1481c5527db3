/**
 * The isolation promises, judged from catalog facts alone (pure): a team's users reach only their
 * own database, the read-only user only reads, nobody else is a member of a team's roles, no
 * managed role is privileged, and PUBLIC holds nothing on a managed database. `postgres` and
 * `template1` granting CONNECT to PUBLIC (PostgreSQL's default, RDS's too) is a warning.
 */
import type { AccessFacts, AccessFinding, AccessReport, AccessRole, DatabasePrivileges } from '../model/access.js';
import type { RoleNames } from '../model/role-names.js';
import { isManagedDatabase } from '../diff/ownership.js';
import { databaseOf } from '../sql/marker.js';
import { expectedMembers } from '../model/memberships.js';

export interface CheckOptions {
  readonly instance: string;
  /**
   * The instance's admin (its file's connection.adminUser), a member of every owner role by
   * design. Not necessarily who runs verify: a role that can only read the catalogs will do.
   */
  readonly admin: string;
  /** The instance's plan role (connection.planUser): CONNECT on every managed database, nothing else. */
  readonly planUser?: string;
  /** The role names of a managed database (the repository's, for adopted ones; else derived). */
  readonly namesOf: (database: string) => RoleNames;
  /** Whether a managed database is adopted (its file says `adopt: true`); default none. */
  readonly adopted?: (database: string) => boolean;
  /** Check only these managed databases and their roles; default every managed one. */
  readonly only?: ReadonlySet<string>;
}

type Kind = keyof RoleNames;
interface Belonging {
  readonly database: string;
  readonly kind: Kind;
}

const PRIVILEGES = [
  ['connect', 'CONNECT'],
  ['create', 'CREATE'],
  ['temp', 'TEMPORARY'],
] as const;
const MAINTENANCE = ['postgres', 'template1'];
const ATTRIBUTES: [keyof AccessRole, string][] = [
  ['superuser', 'SUPERUSER'],
  ['createRole', 'CREATEROLE'],
  ['createDb', 'CREATEDB'],
  ['replication', 'REPLICATION'],
  ['bypassRls', 'BYPASSRLS'],
];

export function checkAccess(facts: AccessFacts, options: CheckOptions): AccessReport {
  const databases = [...facts.databases.values()]
    .filter((d) => isManagedDatabase(d, facts) && (!options.only || options.only.has(d.name)))
    .map((d) => d.name)
    .sort();
  const belongs = new Map<string, Belonging>();
  for (const database of databases) {
    const names = options.namesOf(database);
    for (const kind of ['owner', 'rw', 'ro'] as const) {
      if (facts.roles.get(names[kind])?.marker) belongs.set(names[kind], { database, kind });
    }
  }
  // Unscoped, every marked role is checked, also those whose database is gone.
  const roles = [...facts.roles.values()].filter((r) => r.marker && (belongs.has(r.name) || !options.only)).map((r) => r.name).sort();
  const [checkedRoles, checkedDatabases] = [new Set(roles), new Set(databases)];
  const vanished = vanishedDatabases(facts, options.namesOf).filter((d) => !options.only || options.only.has(d));
  const findings = [
    ...maintenanceWarnings(facts),
    ...vanished.map((database): AccessFinding => ({
      severity: 'error',
      code: 'database.vanished',
      database,
      message: `managed database ${database} is gone (dropped outside platon-db) while its owner role ${options.namesOf(database).owner} remains; the next apply recreates it empty`,
    })),
    ...databases.flatMap((d) => databaseFindings(facts, d, options.namesOf(d), options.planUser)),
    ...facts.privileges.filter((p) => checkedRoles.has(p.role) || checkedDatabases.has(p.database)).flatMap((p) => privilegeFindings(facts, p, belongs)),
    ...roles.flatMap((r) => roleFindings(facts, facts.roles.get(r)!, belongs, options)),
  ];
  return { instance: options.instance, databases, roles, findings: findings.sort(byPlace) };
}

/**
 * Managed databases that no longer exist: an owner role still carries our marker for a file whose
 * database is not on the instance (its team may DROP DATABASE; the roles, which it cannot drop,
 * remain). Sorted.
 */
export function vanishedDatabases(facts: AccessFacts, namesOf: (database: string) => RoleNames): string[] {
  const out = new Set<string>();
  for (const role of facts.roles.values()) {
    if (!role.marker) continue;
    const database = databaseOf(role.marker);
    if (!facts.databases.has(database) && namesOf(database).owner === role.name) out.add(database);
  }
  return [...out].sort();
}

const byPlace = (a: AccessFinding, b: AccessFinding) =>
  (a.database ?? '').localeCompare(b.database ?? '') || (a.role ?? '').localeCompare(b.role ?? '') || a.code.localeCompare(b.code);

const publicHolds = (facts: AccessFacts, database: string): Set<string> =>
  new Set(facts.databases.get(database)?.acl.filter((e) => e.grantee === 'PUBLIC').map((e) => e.privilege));

function maintenanceWarnings(facts: AccessFacts): AccessFinding[] {
  return MAINTENANCE.filter((name) => publicHolds(facts, name).has('CONNECT')).map((name) => ({
    severity: 'warning',
    code: 'maintenance.public-connect',
    message: `database ${name} grants CONNECT to PUBLIC (PostgreSQL's default): every team's user can connect to it; REVOKE CONNECT ON DATABASE ${name} FROM PUBLIC closes that`,
  }));
}

/** PUBLIC and roles platon-db does not manage, in the ACL of a managed database. */
function databaseFindings(facts: AccessFacts, database: string, names: RoleNames, planUser: string | undefined): AccessFinding[] {
  const out: AccessFinding[] = [];
  const held = [...publicHolds(facts, database)].sort();
  if (held.length > 0) {
    out.push({ severity: 'error', code: 'access.public', database, message: `PUBLIC holds ${held.join(', ')} on database ${database}: every role on the instance has it` });
  }
  const expected = new Set(['PUBLIC', names.owner, names.ro]);
  const byGrantee = new Map<string, string[]>();
  for (const entry of facts.databases.get(database)!.acl) {
    // Managed roles are judged by what PostgreSQL says they can do (privilegeFindings).
    if (expected.has(entry.grantee) || facts.roles.get(entry.grantee)?.marker) continue;
    if (entry.grantee === planUser && entry.privilege === 'CONNECT') continue;
    byGrantee.set(entry.grantee, [...(byGrantee.get(entry.grantee) ?? []), entry.privilege]);
  }
  for (const [grantee, privileges] of [...byGrantee].sort()) {
    out.push({ severity: 'error', code: 'access.unmanaged-grantee', database, role: grantee, message: `role ${grantee}, which platon-db does not manage, holds ${privileges.sort().join(', ')} on database ${database}` });
  }
  return out;
}

/** What a managed role can do on a managed database beyond its part (PUBLIC's share is reported once, above). */
function privilegeFindings(facts: AccessFacts, p: DatabasePrivileges, belongs: ReadonlyMap<string, Belonging>): AccessFinding[] {
  const mine = belongs.get(p.role);
  const own = mine?.database === p.database;
  const allowed = (privilege: string) => own && (mine.kind !== 'ro' || privilege === 'CONNECT');
  const fromPublic = publicHolds(facts, p.database);
  const extra = PRIVILEGES.filter(([field, privilege]) => p[field] && !allowed(privilege) && !fromPublic.has(privilege)).map(([, privilege]) => privilege);
  if (extra.length === 0) return [];
  const who = mine ? `role ${p.role} (${mine.kind} of ${mine.database})` : `managed role ${p.role}`;
  return [
    own
      ? { severity: 'error', code: 'access.read-only-writes', database: p.database, role: p.role, message: `${who} holds ${extra.join(', ')} on its database: the read-only user may only connect` }
      : { severity: 'error', code: 'access.cross-database', database: p.database, role: p.role, message: `${who} holds ${extra.join(', ')} on database ${p.database}` },
  ];
}

function roleFindings(facts: AccessFacts, role: AccessRole, belongs: ReadonlyMap<string, Belonging>, options: CheckOptions): AccessFinding[] {
  const out: AccessFinding[] = [];
  const mine = belongs.get(role.name);
  const at = mine ? { database: mine.database } : {};
  const attributes = ATTRIBUTES.filter(([field]) => role[field] === true).map(([, name]) => name);
  if (attributes.length > 0) {
    out.push({ severity: 'error', code: 'role.privileged', ...at, role: role.name, message: `${role.login ? 'login ' : ''}role ${role.name} has ${attributes.join(', ')}` });
  }
  if (!mine) return out;
  const names = options.namesOf(mine.database);
  // Members: those the apply grants (the admin, the rw user in the owner role), no one else.
  const expected = expectedMembers(names, options.admin, options.adopted?.(mine.database) ?? false).get(role.name) ?? [];
  for (const member of [...facts.roles.values()].filter((r) => r.memberOf.includes(role.name) && !expected.includes(r.name))) {
    out.push({ severity: 'error', code: 'membership.unexpected-member', ...at, role: role.name, message: `role ${member.name} is a member of ${role.name}, so it can act as ${mine.database}'s ${mine.kind} role` });
  }
  // Groups: only rw is a member of anything (its owner role); memberships in other teams' roles are reported above.
  const expectedGroups = mine.kind === 'rw' ? [names.owner] : [];
  for (const group of role.memberOf.filter((g) => !expectedGroups.includes(g) && !belongs.has(g))) {
    out.push({ severity: 'error', code: 'membership.unexpected-group', ...at, role: role.name, message: `role ${role.name} is a member of ${group}, and has what ${group} has` });
  }
  return out;
}
