/**
 * Which live objects are ours. Objects without our marker are never changed; a declared one that
 * exists without it is an error before anything is applied.
 */
import type { PlanError } from '../model/change.js';
import type { DatabaseSpec } from '../model/spec.js';
import type { LiveDatabase, LiveRole, LiveState } from '../model/state.js';
import { roleNames, roleNamesOf } from '../model/role-names.js';

const ADOPT_HINT =
  'platon-db only changes objects it created. If this is the database the team ordered by e-mail, adopt it on purpose ' +
  '(platon-db import), or choose another name.';

/**
 * A database is ours when it carries our marker, or when it has no marker but is owned by our
 * `<d>_owner` role for the same file: CREATE DATABASE and its COMMENT cannot share a transaction,
 * so a crash between them must not turn our own database into a foreign one.
 */
export function isManagedDatabase(
  db: Pick<LiveDatabase, 'name' | 'owner' | 'marker'>,
  live: { readonly roles: ReadonlyMap<string, Pick<LiveRole, 'marker'>> },
): boolean {
  if (db.marker) return true;
  const owner = live.roles.get(db.owner);
  return owner?.marker != null && db.owner === roleNames(db.name).owner;
}

export function managedFile(db: LiveDatabase, live: LiveState): string | undefined {
  return db.marker?.file ?? live.roles.get(db.owner)?.marker?.file;
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
