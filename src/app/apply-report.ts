/** ApplyOutcome -> ApplyReport, the JSON `apply --result-file` writes and `report-apply` reads back. */
import { writeFile } from 'node:fs/promises';
import type { ApplyOutcome } from './apply.js';
import type { PlanError, PlannedChange } from '../model/change.js';
import type { ApplyResult } from '../apply/apply.js';
import { APPLY_REPORT_VERSION, type ApplyReport, type ReportedChange, type ReportedCredential } from '../model/apply-report.js';
import { secretLocation } from '../render/display-sql.js';

const EMPTY = { applied: [], failed: null, notApplied: [], credentials: [], errors: [], diagnostics: [], message: null } as const;

export function applyReport(outcome: ApplyOutcome): ApplyReport {
  const base = { version: APPLY_REPORT_VERSION, ...EMPTY };
  switch (outcome.kind) {
    case 'invalid':
      return { ...base, outcome: 'invalid', instance: null, commit: null, diagnostics: outcome.diagnostics };
    case 'refused':
    case 'declined': {
      const { plan } = outcome;
      return { ...base, outcome: outcome.kind, instance: plan.instance, commit: plan.commit, notApplied: plan.changes.map(reported), errors: plan.errors };
    }
    case 'applied': {
      const { plan, result } = outcome;
      const failures = databaseFailureErrors(result);
      return {
        ...base,
        outcome: result.failed ? 'failed' : plan.errors.length > 0 || failures.length > 0 ? 'partial' : 'applied',
        instance: plan.instance,
        commit: plan.commit,
        applied: result.applied.map(reported),
        failed: result.failed ? { change: reported(result.failed.change), message: result.failed.message } : null,
        notApplied: result.notApplied.map(reported),
        credentials: result.applied.flatMap(credential),
        errors: [...plan.errors, ...failures],
      };
    }
  }
}

/** A team database whose own changes failed while the rest applied, as the report's errors. */
function databaseFailureErrors(result: ApplyResult): PlanError[] {
  return (result.databaseFailures ?? []).map((f) => ({
    code: 'apply.database-failed',
    database: f.database,
    file: `databases/${f.database}.yaml`,
    message: `${f.change.summary}: ${f.message}`,
    hint: 'every other database was applied; apply again once the cause is gone (a lock its team holds on its own objects, say)',
  }));
}

/** When apply threw before it had an outcome (the CLI prints the same line). */
export const applyErrorReport = (message: string, commit: string | null = null): ApplyReport => ({
  version: APPLY_REPORT_VERSION,
  ...EMPTY,
  outcome: 'error',
  instance: null,
  commit,
  message,
});

const reported = (p: PlannedChange): ReportedChange => ({ database: p.change.database, action: p.action, summary: p.summary });

/** New passwords: a created login role, or one whose lost secret was replaced. */
function credential(p: PlannedChange): ReportedCredential[] {
  const c = p.change;
  if (c.kind === 'create-role' && c.secret) return [{ database: c.database, role: c.role, location: secretLocation(c.secret) }];
  if (c.kind === 'reset-password') return [{ database: c.database, role: c.role, location: secretLocation(c.secret) }];
  return [];
}

/** Parses a report file; throws a plain Error naming what is wrong. */
export function parseApplyReport(text: string): ApplyReport {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new Error('not a JSON object');
  const report = value as Partial<ApplyReport>;
  if (report.version !== APPLY_REPORT_VERSION) throw new Error(`version ${String(report.version)}, expected ${APPLY_REPORT_VERSION}`);
  if (typeof report.outcome !== 'string') throw new Error('no outcome');
  // Older or hand-written files may leave lists out; the renderer relies on them.
  return { ...EMPTY, instance: null, commit: null, ...report } as ApplyReport;
}

/**
 * Runs the apply and records its outcome at `path`, also when it throws (server unreachable, lock
 * timeout), so the report step always has something to say. The error is rethrown unchanged.
 */
export async function recordApply(path: string | undefined, apply: () => Promise<ApplyOutcome>): Promise<ApplyOutcome> {
  if (path === undefined) return apply();
  let outcome: ApplyOutcome;
  try {
    outcome = await apply();
  } catch (error) {
    await writeReport(path, applyErrorReport(error instanceof Error ? error.message : String(error)));
    throw error;
  }
  await writeReport(path, applyReport(outcome));
  return outcome;
}

const writeReport = (path: string, report: ApplyReport): Promise<void> => writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
