/** The one-line verdict every diagnostics format ends with, so text, github and json agree. */
import type { Diagnostic } from '../model/diagnostic.js';

/** How many files were checked, when the caller knows (validate does; plan only has diagnostics). */
export interface Checked {
  readonly databases: number;
  readonly instances: number;
}

export function summaryLine(diagnostics: readonly Diagnostic[], checked?: Checked): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = checked ? `${count(checked.databases, 'database file')} and ${count(checked.instances, 'instance file')}` : '';
  if (diagnostics.length === 0) return checked ? `${files}: no problems.` : 'No problems.';
  const verdict = errors > 0 ? 'invalid' : 'valid, with warnings';
  const problems = [errors > 0 ? count(errors, 'error') : '', warnings > 0 ? count(warnings, 'warning') : ''].filter(Boolean).join(' and ');
  return checked ? `${problems} in ${files}: ${verdict}.` : `${problems}.`;
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
