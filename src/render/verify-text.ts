/** `platon-db verify` for people: what was checked, one line per finding, a verdict. */
import type { AccessReport } from '../model/access.js';
import { plural } from './plan-summary.js';

const STYLE = { error: '\x1b[31m', warning: '\x1b[33m', reset: '\x1b[0m' } as const;

export function renderVerifyText(report: AccessReport, options: { readonly color: boolean }): string {
  const paint = (severity: 'error' | 'warning') => (options.color ? `${STYLE[severity]}${severity}${STYLE.reset}` : severity);
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const lines = [
    `platon-db verify on instance ${report.instance}: ${plural(report.databases.length, 'managed database')}, ${plural(report.roles.length, 'managed role')} (read only)`,
    ...report.findings.map((f) => `  ${paint(f.severity)} ${f.code}: ${f.message.replace(/\r?\n|\r/g, ' ')}`),
    errors > 0
      ? `${plural(errors, 'problem')} found${warnings > 0 ? `, and ${plural(warnings, 'warning')}` : ''}.`
      : `No problems found${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}: every team's users reach only their own database.`,
  ];
  return `${lines.join('\n')}\n`;
}
