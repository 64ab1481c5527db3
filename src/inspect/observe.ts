/**
 * Everything the planner compares the desired state against, read in parallel: the catalogs
 * (inside the declared databases only) and which secrets exist.
 */
import type { DesiredState } from '../model/desired.js';
import type { SecretStore } from '../model/secret-store.js';
import type { LiveState } from '../model/state.js';
import type { Connector } from '../adapters/postgres/connector.js';
import { isNamedRole, roleNamesOf } from '../model/role-names.js';
import { inspect } from './inspect.js';
import { missingSecrets, secretPresence } from './secrets.js';
import { readFootprints } from './role-footprint.js';

export async function observe(connector: Connector, desired: DesiredState, store: SecretStore): Promise<LiveState> {
  const only = new Set(desired.databases.map((d) => d.spec.name));
  const readOnlyChecks = new Set(desired.databases.filter((d) => d.spec.users.readOnly).map((d) => d.spec.name));
  const teamRoles = new Map(
    desired.databases
      .filter((d) => d.spec.adopt)
      .map(({ spec }) => {
        const names = roleNamesOf(spec);
        return [spec.name, { ro: names.ro, owners: [names.owner, names.rw].filter((r) => isNamedRole(spec, r)) }] as const;
      }),
  );
  // Adoption checks where the roles it would take over own or hold things (diff/adoption.ts).
  const adopting = [...new Set(desired.databases.filter((d) => d.spec.adopt).flatMap(({ spec }) => Object.values(roleNamesOf(spec))))];
  const [live, secrets, footprints] = await Promise.all([
    inspect(connector, { only, readOnlyChecks, teamRoles, ...planningFor(desired) }),
    secretPresence(store, desired),
    readFootprints(connector, adopting),
  ]);
  return {
    ...live,
    footprints,
    missingSecrets: missingSecrets(desired, live, secrets.present),
    secretsPresent: secrets.present,
    pendingRotations: new Set([...secrets.pending].filter((role) => live.roles.get(role)?.marker)),
  };
}

/** When the instance has a plan role, a plan read through it is made for the admin that applies. */
function planningFor(desired: DesiredState) {
  return desired.planUser !== undefined && desired.admin !== undefined
    ? { planningFor: { planUser: desired.planUser, admin: desired.admin } }
    : {};
}
