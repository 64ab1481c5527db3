/**
 * Hand-made role names (`users.owner`, `users.rw`, `users.ro`) belong to adopted databases only:
 * a new database gets the derived `<name>_owner`, `<name>_rw`, `<name>_ro`, so every team's roles
 * read alike. Two files may never claim one role, whether named by hand or derived.
 */
import { roleNames } from '../../model/role-names.js';
import type { DatabaseDraft, InstanceDraft } from '../drafts.js';
import { error, type Finding } from '../finding.js';

const RESERVED_ROLES = new Set(['postgres', 'rdsadmin', 'rdstopmgr', 'public']);

export function namedRoleRules(db: DatabaseDraft, instance: InstanceDraft | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const { path, user, name } of db.namedRoles) {
    const where = { path, anchor: 'value' as const };
    if (!db.adopt) {
      findings.push(
        error(db.file, 'users.named-without-adopt', `users.${user} names a role by hand, which only an adopted database may do`, {
          ...where,
          hint: `remove it: a new database's ${user} role is ${db.name ?? db.stem}_${user}; adopting an existing database is \`adopt: true\`, as platon-db import writes`,
        }),
      );
    } else if (RESERVED_ROLES.has(name) || name.startsWith('pg_') || name.startsWith('rds_') || name === instance?.adminUser || name === instance?.planUser) {
      findings.push(error(db.file, 'users.reserved-role', `${name} belongs to PostgreSQL, RDS or the platon-db admin, not to a team`, { ...where, hint: 'name the team\'s own role' }));
    }
  }
  const named = new Map(db.namedRoles.map((r) => [r.user, r] as const));
  const ro = named.get('ro');
  if (ro && db.readOnly === false) {
    findings.push(error(db.file, 'users.ro-without-read-only', `users.ro names ${ro.name}, but users.readOnly is false`, { path: ['users', 'readOnly'], anchor: 'value', hint: 'remove readOnly (naming the read-only role implies true), or remove users.ro' }));
  }
  if (ro && (ro.name === named.get('rw')?.name || ro.name === named.get('owner')?.name)) {
    findings.push(error(db.file, 'users.same-role', `${ro.name} cannot be both the read-only user and the ${ro.name === named.get('rw')?.name ? 'read/write user' : 'owner'}`, { path: ro.path, anchor: 'value' }));
  }
  return findings;
}

/** Every role a database file claims: hand-made names, else the derived ones. */
function claimedRoles(db: DatabaseDraft): { readonly name: string; readonly path: readonly (string | number)[] }[] {
  const base = db.name ?? db.stem;
  const derived = roleNames(base);
  return (['owner', 'rw', 'ro'] as const).map((user) => {
    const named = db.namedRoles.find((r) => r.user === user);
    return named ? { name: named.name, path: named.path } : { name: derived[user], path: ['name'] };
  });
}

/** Across files: one role, one database (a role shared by two would let one team act as the other). */
export function sharedRoleRule(databases: readonly DatabaseDraft[]): Finding[] {
  const first = new Map<string, DatabaseDraft>();
  const findings: Finding[] = [];
  for (const db of [...databases].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    for (const { name, path } of new Map(claimedRoles(db).map((r) => [r.name, r])).values()) {
      const owner = first.get(name);
      if (owner === undefined) first.set(name, db);
      // Two files with one database name are name.duplicate already.
      else if ((owner.name ?? owner.stem) !== (db.name ?? db.stem)) {
        findings.push(error(db.file, 'users.role-shared', `role ${name} already belongs to the database in ${owner.file}`, { path: [...path], anchor: 'value' }));
      }
    }
  }
  return findings;
}
