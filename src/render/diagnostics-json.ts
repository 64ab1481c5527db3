/** Diagnostics for scripts: `{"valid": bool, "diagnostics": [...]}`, fields in a fixed order. */
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';

export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map(({ severity, code, message, file, line, column, hint }) => ({
    severity,
    code,
    message,
    file,
    line,
    column,
    ...(hint === undefined ? {} : { hint }),
  }));
  return `${JSON.stringify({ valid: !hasErrors(diagnostics), diagnostics: rows }, null, 2)}\n`;
}
