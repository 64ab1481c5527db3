/** The audit as markdown: for an issue, a PR or a job summary. Text from commits is escaped. */
import type { AllowlistRuleAudit, AuditEntry, AuditReport, DatabaseAudit } from '../model/audit.js';
import { appliedFrom, changeLine, provenance, ruleFor, ruleOrigin, shortSha } from './audit-describe.js';
import { codeSpan, escapeMarkdown, tableCell } from './plan-markdown-syntax.js';

export function renderAuditMarkdown(report: AuditReport): string {
  const scope = report.databases.length === 1 ? codeSpan(report.databases[0]!.name) : `${report.databases.length} databases`;
  const blocks = [
    `## platon-db audit: ${scope}`,
    `History on ${codeSpan(report.main.ref)} (${codeSpan(shortSha(report.main.sha))})` +
      (report.instance ? `, live objects on ${codeSpan(report.instance)}.` : '; the instance was not read.'),
  ];
  for (const database of report.databases) blocks.push(databaseBlock(database, report.instance));
  if (report.rules !== undefined) blocks.push(rulesBlock(report.rules, report.instance ?? ''));
  blocks.push(
    report.findings.length === 0
      ? '### Findings\n\nNone.'
      : ['### Findings', '', ...report.findings.map((f) => `- ${codeSpan(f.database)}: ${escapeMarkdown(f.message)}`)].join('\n'),
  );
  if (report.notes.length > 0) blocks.push(['### Notes', '', ...report.notes.map((n) => `- ${escapeMarkdown(n)}`)].join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

function databaseBlock(database: DatabaseAudit, instance: string | null): string {
  const lines = [`### ${codeSpan(database.name)}`, ''];
  if (database.history.length === 0) lines.push(`No history of ${codeSpan(database.file)} on this branch.`);
  else {
    lines.push('| When | Commit | Pull request | Who | What changed |', '| --- | --- | --- | --- | --- |');
    for (const entry of database.history) lines.push(row([escapeMarkdown(entry.date), codeSpan(shortSha(entry.sha)), pullRequest(entry), escapeMarkdown(provenance(entry)), changes(entry)]));
  }
  if (database.live !== undefined) {
    lines.push('', `Live on ${codeSpan(instance ?? '')}:`, '');
    if (database.live.length === 0) lines.push('Nothing managed (not applied yet, or dropped).');
    else {
      lines.push('| Object | Last applied from |', '| --- | --- |');
      for (const object of database.live) lines.push(row([`${object.kind} ${codeSpan(object.name)}`, escapeMarkdown(appliedFrom(object))]));
    }
  }
  return lines.join('\n');
}

/** Nothing records when a rule was applied: the commit says when its network reached main. */
function rulesBlock(rules: readonly AllowlistRuleAudit[], instance: string): string {
  const lines = [`### Allowlist rules on ${codeSpan(instance)}`, ''];
  if (rules.length === 0) return [...lines, 'None managed.'].join('\n');
  lines.push('| Network | Rule | For | Reached main | Who |', '| --- | --- | --- | --- | --- |');
  for (const rule of rules) {
    lines.push(row([codeSpan(rule.cidr), codeSpan(rule.ruleId), escapeMarkdown(ruleFor(rule)), escapeMarkdown(ruleOrigin(rule)), rule.addedBy ? escapeMarkdown(provenance(rule.addedBy)) : '']));
  }
  return lines.join('\n');
}

function pullRequest(entry: AuditEntry): string {
  const pr = entry.pullRequest;
  if (!pr) return 'none';
  return pr.url ? `[#${pr.number}](${pr.url})` : `#${pr.number}`;
}

function changes(entry: AuditEntry): string {
  const head = `${entry.kind}: ${escapeMarkdown(entry.subject)}`;
  const items = entry.changes.map((c) => codeSpan(changeLine(c)));
  if (entry.unreadable) items.push('(file not readable YAML here)');
  return [head, ...items].join('<br>');
}

const row = (cells: readonly string[]): string => `| ${cells.map(tableCell).join(' | ')} |`;
