/**
 * What one `platon-db apply` did, as the JSON `apply --result-file` writes and `report-apply`
 * reads: the apply and the GitHub report run as separate steps, so a failed comment can never
 * change the apply's exit code. Holds summaries and secret locations, never a secret's value.
 */
import type { PlannedChange, PlanError } from './change.js';
import type { Diagnostic } from './diagnostic.js';

export const APPLY_REPORT_VERSION = 1;

export type ApplyReportOutcome =
  /** Everything planned went through, or there was nothing to do. */
  | 'applied'
  /** Every database's changes went through but those of the databases with errors (`errors`). */
  | 'partial'
  /** Stopped at a failing change; what came before stays applied. */
  | 'failed'
  /** The plan had errors: nothing was applied. */
  | 'refused'
  /** Not approved (no --auto-approve without a terminal): nothing was applied. */
  | 'declined'
  /** The files are invalid: nothing was planned or applied. */
  | 'invalid'
  /** The apply stopped before it could plan (server unreachable, lock timeout) or left no result. */
  | 'error';

export interface ReportedChange {
  readonly database: string;
  readonly action: PlannedChange['action'];
  readonly summary: string;
}

/** A login role that got a new password, and where its team reads it. */
export interface ReportedCredential {
  readonly database: string;
  readonly role: string;
  /** `vault:secret/platon/...` or `file:...`: the location, never the value. */
  readonly location: string;
}

export interface ApplyReport {
  readonly version: number;
  readonly outcome: ApplyReportOutcome;
  /** Null when the apply stopped before it chose an instance. */
  readonly instance: string | null;
  readonly commit: string | null;
  readonly applied: readonly ReportedChange[];
  readonly failed: { readonly change: ReportedChange; readonly message: string } | null;
  readonly notApplied: readonly ReportedChange[];
  readonly credentials: readonly ReportedCredential[];
  /** The plan's errors when refused, or the errors of the databases left out of a partial apply. */
  readonly errors: readonly PlanError[];
  /** The invalid files' diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  /** For `error`: the one-line reason. */
  readonly message: string | null;
}
