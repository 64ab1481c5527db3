/**
 * The plan for machines (`plan --format json`, the CI artifact). Key order is fixed so the output
 * diffs cleanly: the envelope keys in the order below, every other object's keys sorted. Statements
 * carry the displayed SQL, so a password placeholder never appears without its reference.
 */
import type { Change, Note, Plan, PlanError, PlannedChange } from '../model/change.js';
import { displayApiCall } from './display-api-call.js';
import { displaySql } from './display-sql.js';
import { summarisePlan } from './plan-summary.js';

/** Bump when a consumer could misread the new shape (a removed or renamed key), not for additions. */
export const PLAN_FORMAT_VERSION = 'platon-db.plan.v1';

export function renderPlanJson(plan: Plan): string {
  const summary = summarisePlan(plan);
  const document = {
    formatVersion: PLAN_FORMAT_VERSION,
    instance: plan.instance,
    commit: plan.commit,
    changes: plan.changes.map(changeJson),
    notes: plan.notes.map(noteJson),
    errors: plan.errors.map(errorJson),
    summary: {
      create: summary.create,
      update: summary.update,
      delete: summary.delete,
      notes: summary.notes,
      errors: summary.errors,
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

// Change fields are spread beside the envelope keys; a change kind with a field of the same name
// would silently overwrite one, so this fails to compile instead.
type ChangeFieldNames = Change extends infer C ? (C extends unknown ? keyof C : never) : never;
const noEnvelopeClash: Extract<ChangeFieldNames, 'action' | 'summary' | 'placement' | 'statements' | 'apiCall'> extends never
  ? true
  : never = true;
void noEnvelopeClash;

function changeJson(planned: PlannedChange): object {
  const { kind, database, ...fields } = planned.change;
  return {
    kind,
    action: planned.action,
    database,
    summary: planned.summary,
    placement: sortKeys(planned.placement),
    statements: planned.statements.map((statement) => ({
      sql: displaySql(statement),
      ...(statement.password ? { secretRef: sortKeys(statement.password) } : {}),
    })),
    // Allowlist changes: the EC2 request as sent, plus the line the human formats show.
    ...(planned.apiCall ? { apiCall: { ...sortKeys(planned.apiCall), text: displayApiCall(planned.apiCall) } } : {}),
    ...sortKeys(fields),
  };
}

function noteJson(note: Note): object {
  const { kind, database, ...fields } = note;
  return { kind, database, ...sortKeys(fields) };
}

function errorJson(error: PlanError): object {
  const { code, database, file, message, hint, ...fields } = error;
  return { code, database, file, message, hint, ...sortKeys(fields) };
}

/** A deep copy with object keys in code-unit order and undefined values left out, as JSON would. */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, sortKeys(v)]);
  return Object.fromEntries(entries) as T;
}
