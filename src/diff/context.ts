/** What every per-object diff needs about one declared database, computed once. */
import type { DesiredDatabase, DiffOptions } from '../model/desired.js';
import type { LiveState, OwnershipMarker } from '../model/state.js';
import { roleNamesOf, type RoleNames } from '../model/role-names.js';

export interface DatabaseDiffContext {
  /** The instance being planned (a local rehearsal plans files that name another instance). */
  readonly instance: string;
  readonly desired: DesiredDatabase;
  readonly live: LiveState;
  readonly names: RoleNames;
  /** The marker new or changed objects get. */
  readonly marker: OwnershipMarker;
  /** Direct members of each role (the reverse of LiveRole.memberOf). */
  readonly membersOf: ReadonlyMap<string, readonly string[]>;
  readonly options: DiffOptions;
  /** The read-only role plans connect as, if the instance has one (it may connect everywhere). */
  readonly planUser?: string;
}

export function membersIndex(live: LiveState): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const role of live.roles.values()) {
    for (const group of role.memberOf) index.set(group, [...(index.get(group) ?? []), role.name]);
  }
  return index;
}

export function contextFor(
  instance: string,
  desired: DesiredDatabase,
  live: LiveState,
  commit: string,
  membersOf: ReadonlyMap<string, readonly string[]>,
  options: DiffOptions,
  planUser?: string,
): DatabaseDiffContext {
  const { spec } = desired;
  return {
    instance,
    desired,
    live,
    names: roleNamesOf(spec),
    marker: {
      managedBy: 'platon-db',
      file: spec.file,
      team: spec.team,
      commit,
      // A database on its way out says so on the live instance: dropping checks it there.
      ...(spec.state === 'retired' || spec.state === 'dropped' ? { state: 'retired' as const } : {}),
    },
    membersOf,
    options,
    ...(planUser === undefined ? {} : { planUser }),
  };
}
