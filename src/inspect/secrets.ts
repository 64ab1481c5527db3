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

export interface SecretPresence {
  /** Roles whose secret exists. */
  readonly present: Set<string>;
  /** Of those, roles whose latest version a crashed rotation may not have set on the role. */
  readonly pending: Set<string>;
}

/**
 * Which login roles have a secret, from the store's metadata (never the passwords), read while
 * the catalogs are inspected so it costs no extra time.
 */
export async function secretPresence(store: SecretStore, desired: DesiredState, concurrency = 8): Promise<SecretPresence> {
  const limit = pLimit(concurrency);
  const statuses = await Promise.all(loginRoles(desired).map(({ role, ref }) => limit(async () => ({ role, status: await store.status(ref) }))));
  return {
    present: new Set(statuses.filter((s) => s.status !== 'absent').map((s) => s.role)),
    pending: new Set(statuses.filter((s) => s.status === 'rotation-pending').map((s) => s.role)),
  };
}

/** Managed login roles that exist live but have no secret. */
export function missingSecrets(desired: DesiredState, live: LiveState, present: ReadonlySet<string>): Set<string> {
  return new Set(loginRoles(desired).map((r) => r.role).filter((role) => live.roles.get(role)?.marker && !present.has(role)));
}
