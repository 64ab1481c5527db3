/**
 * Which existing login roles have lost their secret. The store is the source of truth for
 * passwords (RDS hides the hashes), so a role without a secret is one nobody can use: the plan
 * shows it and the apply repairs it by issuing a new password.
 */
import pLimit from 'p-limit';
import type { DesiredState } from '../model/desired.js';
import type { SecretStore } from '../model/secret-store.js';
import type { LiveState } from '../model/state.js';
import { roleNames } from '../model/role-names.js';

export async function findMissingSecrets(store: SecretStore, desired: DesiredState, live: LiveState, concurrency = 8): Promise<Set<string>> {
  const limit = pLimit(concurrency);
  const checks = desired.databases.flatMap(({ spec, secrets }) => {
    const names = roleNames(spec.name);
    const users = spec.users.readOnly ? ([['rw', names.rw], ['ro', names.ro]] as const) : ([['rw', names.rw]] as const);
    return users
      .filter(([, role]) => live.roles.get(role)?.marker)
      .map(([user, role]) => limit(async () => ((await store.read(secrets[user])) ? null : role)));
  });
  return new Set((await Promise.all(checks)).filter((role): role is string => role !== null));
}
