/**
 * What rules report: a diagnostic that points into a file by data path instead of line and
 * column. Rules see plain data, never YAML nodes; validate-repository turns paths into positions.
 */
import type { Severity } from '../model/diagnostic.js';
import type { Anchor, YamlPath } from '../load/parse-yaml.js';
import type { LineColumn } from '../load/source-text.js';

export interface Finding {
  readonly file: string;
  readonly severity: Severity;
  /** Stable, e.g. `cidr.too-broad`; listed in the README. */
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /** Where in the file's data; `[]` is the whole file. */
  readonly path: YamlPath;
  /** Point at the mapping key (default) or at its value. */
  readonly anchor?: Anchor;
  /** A fixed position instead of `path`, for things outside the data (the first-line comment). */
  readonly position?: LineColumn;
}

type Details = Omit<Finding, 'file' | 'severity' | 'code' | 'message'>;

export const error = (file: string, code: string, message: string, details: Details): Finding => ({ file, severity: 'error', code, message, ...details });

export const warning = (file: string, code: string, message: string, details: Details): Finding => ({ file, severity: 'warning', code, message, ...details });

/** `hint` only when there is one, so output stays free of `hint: undefined`. */
export const withHint = (hint: string | undefined): { hint?: string } => (hint === undefined ? {} : { hint });
