/** Counts shared by every plan format, so text, markdown and json can never disagree. */
import { INSTANCE_WIDE, type Plan, type PlannedChange } from '../model/change.js';

export interface ActionCounts {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
}

export interface PlanSummary extends ActionCounts {
  readonly notes: number;
  readonly errors: number;
}

export function countActions(changes: readonly PlannedChange[]): ActionCounts {
  const counts = { create: 0, update: 0, delete: 0 };
  for (const { action } of changes) counts[action] += 1;
  return counts;
}

export const summarisePlan = (plan: Plan): PlanSummary => ({
  ...countActions(plan.changes),
  notes: plan.notes.length,
  errors: plan.errors.length,
});

/** `1 error`, `2 errors`. */
export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Terraform's wording, which reviewers already know: `12 to create, 1 to change, 0 to destroy`. */
export const describeActions = (counts: ActionCounts): string =>
  `${counts.create} to create, ${counts.update} to change, ${counts.delete} to destroy`;

/** True when there is nothing to apply and nothing blocking: the instance matches the files. */
export const isEmptyPlan = (summary: PlanSummary): boolean =>
  summary.create + summary.update + summary.delete + summary.errors === 0;

/**
 * The closing sentence of the text and markdown plans. Given the plan, errors that all concern
 * single databases say that only those wait (see apply/runnable.ts); an instance-wide one stops all.
 */
export function describeOutcome(summary: PlanSummary, of?: Plan): string {
  if (isEmptyPlan(summary)) return 'No changes. The live instance matches databases/.';
  const plan = `Plan: ${describeActions(summary)}.`;
  if (summary.errors === 0) return plan;
  // See apply/runnable.ts: a database's errors hold back that database only.
  if (of && of.errors.every((e) => e.database !== INSTANCE_WIDE)) {
    return `${plan} ${plural(summary.errors, 'error')}: the databases with errors are not changed until fixed; every other change applies.`;
  }
  return `${plan} Blocked by ${plural(summary.errors, 'error')}: nothing will be applied until ${summary.errors === 1 ? 'it is' : 'they are'} fixed.`;
}
