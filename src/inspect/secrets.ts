/**
 * Which existing login roles have lost their secret. The store is the source of truth for
 * passwords (RDS hides the hashes), so a role without a secret is one nobody can use: the plan
 * shows it and the apply repairs it by issuing a new password.
 */
import pLimit from 'p-limit';
import type { DesiredState } from '../model/desired.js';
import type { SecretStore } from '../model/secret-store.js';
import type { LiveState } from '../model/state.js';
import { roleNamesOf } from '../model/role-names.js';

/** The login roles the desired state asks for, with where their secret lives. */
function loginRoles(desired: DesiredState) {
  return desired.databases.flatMap(({ spec, secrets }) => {
    const names = roleNamesOf(spec);
    return spec.users.readOnly ? [{ role: names.rw, ref: secrets.rw }, { role: names.ro, ref: secrets.ro }] : [{ role: names.rw, ref: secrets.rw }];
  });
}

/** Roles whose secret exists; read while the catalogs are inspected, so it costs no extra time. */
export async function rolesWithSecrets(store: SecretStore, desired: DesiredState, concurrency = 8): Promise<Set<string>> {
  const limit = pLimit(concurrency);
  const found = await Promise.all(loginRoles(desired).map(({ role, ref }) => limit(async () => ((await store.read(ref)) ? role : null))));
  return new Set(found.filter((role): role is string => role !== null));
}

/** Managed login roles that exist live but have no secret. */
export function missingSecrets(desired: DesiredState, live: LiveState, present: ReadonlySet<string>): Set<string> {
  return new Set(loginRoles(desired).map((r) => r.role).filter((role) => live.roles.get(role)?.marker && !present.has(role)));
}
