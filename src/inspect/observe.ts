/**
 * Everything the planner compares the desired state against, read in parallel: the catalogs
 * (inside the declared databases only) and which secrets exist.
 */
import type { DesiredState } from '../model/desired.js';
import type { SecretStore } from '../model/secret-store.js';
import type { LiveState } from '../model/state.js';
import type { Connector } from '../adapters/postgres/connector.js';
import { inspect } from './inspect.js';
import { missingSecrets, rolesWithSecrets } from './secrets.js';

export async function observe(connector: Connector, desired: DesiredState, store: SecretStore): Promise<LiveState> {
  const only = new Set(desired.databases.map((d) => d.spec.name));
  const readOnlyChecks = new Set(desired.databases.filter((d) => d.spec.users.readOnly).map((d) => d.spec.name));
  const [live, present] = await Promise.all([inspect(connector, { only, readOnlyChecks }), rolesWithSecrets(store, desired)]);
  return { ...live, missingSecrets: missingSecrets(desired, live, present) };
}
