/** The capacity report for a terminal: the totals, then one aligned table. */
import type { CapacityReport } from '../model/capacity.js';
import { REPORT_COLUMNS, reportRow, totalLines } from './report-rows.js';

export function renderReportText(report: CapacityReport): string {
  const rows = report.databases.map(reportRow);
  const header = REPORT_COLUMNS.map(([, title]) => title);
  const cells = rows.map((row) => REPORT_COLUMNS.map(([key]) => row[key]));
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: readonly string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [
    `Capacity of instance ${report.instance} (PostgreSQL ${report.serverVersion}), ${report.generatedAt}`,
    '',
    ...totalLines(report),
    '',
    line(header),
    ...cells.map(line),
  ];
  if (report.findings.length > 0) {
    out.push('');
    for (const f of report.findings) out.push(`${f.severity === 'warning' ? '!' : '-'} ${f.message}${f.hint ? `\n    hint: ${f.hint}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
