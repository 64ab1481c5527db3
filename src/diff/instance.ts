/**
 * What concerns the whole instance rather than one database: the IP allowlist and the checks
 * against RDS. Each runs only when both sides were read (desired from the instance file, live from
 * the Allowlist and RDS), so plans without them are unchanged.
 */
import type { Change, Note, PlanError } from '../model/change.js';
import type { DesiredState } from '../model/desired.js';
import type { LiveState } from '../model/state.js';
import { diffAllowlist } from './allowlist.js';
import { rdsChecks } from './rds-checks.js';

export interface InstanceDiff {
  readonly changes: readonly Change[];
  readonly notes: readonly Note[];
  readonly errors: readonly PlanError[];
}

/** `planned`: the databases' changes, which the extension checks look at. */
export function diffInstance(desired: DesiredState, live: LiveState, planned: readonly Change[]): InstanceDiff {
  const specs = desired.databases.map((d) => d.spec);
  const access =
    desired.allowlist && live.allowlist
      ? diffAllowlist(desired.instance, desired.allowlist, specs, live.allowlist)
      : { changes: [], notes: [], errors: [] };
  const checks = desired.rds && live.rds ? rdsChecks(desired.instance, desired.rds, live.rds, specs, planned) : { notes: [], errors: [] };
  return { changes: access.changes, notes: [...access.notes, ...checks.notes], errors: [...access.errors, ...checks.errors] };
}
