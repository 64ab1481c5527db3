/**
 * Which live objects are ours. Objects without our marker are never changed; a declared one that
 * exists without it is an error before anything is applied.
 */
import type { PlanError } from '../model/change.js';
import type { DatabaseSpec } from '../model/spec.js';
import type { LiveDatabase, LiveRole, LiveState } from '../model/state.js';
import { roleNamesOf } from '../model/role-names.js';
import { databaseOf } from '../sql/marker.js';

const ADOPT_HINT =
  'platon-db only changes objects it created. If this is the database the team ordered by e-mail, adopt it on purpose ' +
  '(platon-db import), or choose another name.';

/**
 * A database is ours when its owner role carries our marker for the file that declares this
 * database. Only the role's marker counts: the team owns the database and can COMMENT ON it (so a
 * database comment is a copy the plan checks and repairs, never the source of truth), but on
 * PostgreSQL 15 COMMENT ON ROLE needs CREATEROLE, which no team role has. This also covers a crash
 * between CREATE DATABASE and its COMMENT (they cannot share a transaction), and an unmarked
 * database that another managed owner role happens to own is not ours (the file must match).
 */
export function isManagedDatabase(
  db: Pick<LiveDatabase, 'name' | 'owner'>,
  live: { readonly roles: ReadonlyMap<string, Pick<LiveRole, 'marker'>> },
): boolean {
  const marker = live.roles.get(db.owner)?.marker;
  return marker != null && databaseOf(marker) === db.name;
}

export function managedFile(db: Pick<LiveDatabase, 'name' | 'owner'>, live: { readonly roles: ReadonlyMap<string, Pick<LiveRole, 'marker'>> }): string | undefined {
  return isManagedDatabase(db, live) ? live.roles.get(db.owner)?.marker?.file : undefined;
}

/** Errors that stop the whole plan for this database: unmanaged or foreign objects in the way. */
export function ownershipErrors(spec: DatabaseSpec, live: LiveState): PlanError[] {
  const errors: PlanError[] = [];
  const base = { database: spec.name, file: spec.file };
  // `adopt: true` takes over what exists unmarked, on purpose; what another file claims stays an error.
  const adopting = spec.adopt === true;
  const db = live.databases.get(spec.name);
  if (db && !isManagedDatabase(db, live) && !adopting) {
    errors.push({ ...base, code: 'database.unmanaged', message: `database ${spec.name} exists and is not managed by platon-db`, hint: ADOPT_HINT });
  } else if (db && isManagedDatabase(db, live) && managedFile(db, live) !== spec.file) {
    errors.push({ ...base, code: 'database.claimed', message: `database ${spec.name} is managed from ${managedFile(db, live)}, not ${spec.file}` });
  } else if (db?.marker?.unknownState !== undefined) {
    // Read as neither retired nor active: a newer platon-db may mean something this one would undo.
    errors.push({
      ...base,
      code: 'database.marker-state',
      message:
        `the ownership marker on database ${spec.name} records state "${db.marker.unknownState}", which this version of platon-db does not know; ` +
        `nothing in ${spec.name} is changed (the other databases are)`,
      hint:
        'if a newer platon-db applies this instance, apply with it; if the comment was written by hand (the database owner can COMMENT ON it), ' +
        `Platon clears it with COMMENT ON DATABASE ${spec.name} IS NULL and the next apply writes the marker again`,
    });
  }
  for (const name of new Set(Object.values(roleNamesOf(spec)))) {
    const role: LiveRole | undefined = live.roles.get(name);
    if (!role) continue;
    if (name === live.admin) {
      errors.push({ ...base, code: 'role.admin', message: `role ${name} is the admin platon-db connects as; it cannot belong to a team database` });
    } else if (!role.marker && !adopting) {
      errors.push({ ...base, code: 'role.unmanaged', message: `role ${name} exists and is not managed by platon-db`, hint: ADOPT_HINT });
    } else if (role.marker && role.marker.file !== spec.file) {
      errors.push({ ...base, code: 'role.claimed', message: `role ${name} is managed from ${role.marker.file}, not ${spec.file}` });
    }
  }
  return errors;
}
