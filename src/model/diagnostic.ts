/** Where in a source file a diagnostic points. Lines and columns start at 1. */
export interface SourceLocation {
  /** Path relative to the repository root, with forward slashes (e.g. `databases/studentweb.yaml`). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Severity = 'error' | 'warning';

/**
 * A problem with the user's input. Validation returns all of them, never just the first.
 * `code` is stable (tests and scripts rely on it), e.g. `schema.required`, `cidr.too-broad`.
 */
export interface Diagnostic extends SourceLocation {
  readonly severity: Severity;
  readonly code: string;
  /** One sentence a team member understands, without JSON pointers or stack traces. */
  readonly message: string;
  /** Optional next step, e.g. "did you mean `extensions`?" or "ask Platon for a dedicated instance". */
  readonly hint?: string;
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');
