/** The audit for a terminal: per database, its history oldest first, then what is live. */
import type { AuditReport, DatabaseAudit } from '../model/audit.js';
import { appliedFrom, changeLine, provenance, pullRequestLabel, ruleFor, ruleOrigin, shortSha } from './audit-describe.js';

export function renderAuditText(report: AuditReport): string {
  const lines = [
    `Audit of databases/ on ${report.main.ref} (${shortSha(report.main.sha)})${report.instance ? `, live objects on instance ${report.instance}` : ''}`,
  ];
  for (const database of report.databases) lines.push('', ...databaseLines(database, report.instance));
  if (report.databases.length === 0) lines.push('', 'No database files on this branch.');
  if (report.rules !== undefined) {
    // Nothing records when a rule was applied: the commit says when its network reached main.
    lines.push('', `Allowlist rules on ${report.instance} (when each network reached main):`);
    if (report.rules.length === 0) lines.push('  none managed');
    for (const rule of report.rules) {
      lines.push(`  ${rule.cidr}  ${rule.ruleId}  for ${ruleFor(rule)}`, `    ${ruleOrigin(rule)}`);
      if (rule.addedBy) lines.push(`    ${provenance(rule.addedBy)}`);
    }
  }
  lines.push('', report.findings.length === 0 ? 'Findings: none.' : 'Findings:');
  for (const finding of report.findings) lines.push(`  ! ${finding.database}: ${finding.message}`);
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((note) => `  ${note}`));
  return `${lines.map(printable).join('\n')}\n`;
}

function databaseLines(database: DatabaseAudit, instance: string | null): string[] {
  const lines = [`${database.name} (${database.file})`];
  if (database.history.length === 0) lines.push('  no history on this branch');
  for (const entry of database.history) {
    lines.push(`  ${entry.date}  ${shortSha(entry.sha)}  ${entry.kind}  ${pullRequestLabel(entry)}: ${entry.subject}`);
    lines.push(`    ${provenance(entry)}`);
    for (const change of entry.changes) lines.push(`    ${changeLine(change)}`);
    if (entry.unreadable) lines.push('    (the file was not readable YAML at this commit or before it)');
  }
  if (database.live !== undefined) {
    lines.push(`  live on ${instance}:`);
    if (database.live.length === 0) lines.push('    nothing managed (not applied yet, or dropped)');
    const width = Math.max(0, ...database.live.map((o) => o.name.length));
    for (const object of database.live) lines.push(`    ${object.kind.padEnd(8)} ${object.name.padEnd(width)}  ${appliedFrom(object)}`);
  }
  return lines;
}

/** Commit subjects, names and file values go to a terminal: no control characters (escape sequences). */
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
