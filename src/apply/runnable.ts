/**
 * Which of a plan's changes an apply carries out. A problem in one database (a forged marker, an
 * unknown marker state, a stranger's role in the way) is that database's: its changes wait, and
 * every other database's changes still apply (ARCHITECTURE.md, "The hostile tenant"), so no team
 * can stop the instance's applies by breaking its own database. An instance-wide error (the
 * allowlist, the RDS checks of the instance) stops everything. Pure.
 */
import { INSTANCE_WIDE, type Plan, type PlannedChange } from '../model/change.js';
import type { ApplyResult } from './apply.js';

/** The changes to apply, or undefined when an instance-wide error stops the whole apply. */
export function runnableChanges(plan: Plan): readonly PlannedChange[] | undefined {
  const blocked = new Set(plan.errors.map((error) => error.database));
  if (blocked.has(INSTANCE_WIDE)) return undefined;
  return plan.changes.filter(({ change }) => !blocked.has(change.database));
}

/** The databases whose changes wait for their errors to be fixed, sorted. */
export const blockedDatabases = (plan: Plan): string[] => [...new Set(plan.errors.map((error) => error.database))].sort();

/**
 * What applying `runnable` (from runnableChanges) did to the whole plan: the changes of the
 * databases with errors are reported as not applied too, after the rest.
 */
export function withHeldBack(plan: Plan, runnable: readonly PlannedChange[], result: ApplyResult): ApplyResult {
  const waiting = plan.changes.filter((change) => !runnable.includes(change));
  return waiting.length === 0 ? result : { ...result, notApplied: [...result.notApplied, ...waiting] };
}
