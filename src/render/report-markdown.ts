/** The capacity report as GitHub markdown (an issue or a wiki page). */
import type { CapacityReport } from '../model/capacity.js';
import { REPORT_COLUMNS, reportRow, totalLines } from './report-rows.js';

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderReportMarkdown(report: CapacityReport): string {
  const out = [
    `## Capacity of instance \`${report.instance}\``,
    '',
    `PostgreSQL ${report.serverVersion}, ${report.generatedAt}`,
    '',
    ...totalLines(report).map((l) => `- ${l}`),
    '',
    `| ${REPORT_COLUMNS.map(([, title]) => title).join(' | ')} |`,
    `|${REPORT_COLUMNS.map(() => '---').join('|')}|`,
    ...report.databases.map(reportRow).map((row) => `| ${REPORT_COLUMNS.map(([key]) => cell(row[key])).join(' | ')} |`),
  ];
  if (report.findings.length > 0) {
    out.push('', ...report.findings.map((f) => `- ${f.severity === 'warning' ? '**warning**' : 'note'}: ${cell(f.message)}${f.hint ? ` (${cell(f.hint)})` : ''}`));
  }
  return `${out.join('\n')}\n`;
}
