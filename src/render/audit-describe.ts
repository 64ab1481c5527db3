/** Phrases every audit format shares, so text and markdown cannot tell different stories. */
import type { AllowlistRuleAudit, AuditEntry, FieldChange, LiveFlag, LiveObjectAudit, Person } from '../model/audit.js';

/** `9c8d7e6f0a1b`, and `9c8d7e6f0a1b+dirty` for a commit applied with uncommitted files. */
export const shortSha = (sha: string): string => sha.replace(/^([0-9a-f]{12})[0-9a-f]{28,52}(?=$|\+)/i, '$1');

export const person = (p: Person): string => `${p.name} <${p.email}>`;

/** `+ access.external 192.0.2.0/28 (Partner)`, `~ connectionLimit: 20 -> 50`. */
export function changeLine(change: FieldChange): string {
  switch (change.kind) {
    case 'added':
      return `+ ${change.path} ${change.value}`;
    case 'removed':
      return `- ${change.path} ${change.value}`;
    case 'changed':
      return `~ ${change.path}: ${change.from} -> ${change.to}`;
  }
}

/** Who wrote it, who merged it, who approved it, in one line. */
export function provenance(entry: Pick<AuditEntry, 'authors' | 'mergedBy' | 'pullRequest'>): string {
  const pr = entry.pullRequest;
  const parts = [`by ${entry.authors.map(person).join(', ')}`];
  // Git names and GitHub logins are different identities: both are shown.
  if (pr?.author) parts.push(`PR opened by ${pr.author}`);
  const merger = pr?.mergedBy ?? (entry.mergedBy ? person(entry.mergedBy) : undefined);
  if (merger) parts.push(`merged by ${merger}`);
  if (pr?.approvers) parts.push(pr.approvers.length > 0 ? `approved by ${pr.approvers.join(', ')}` : 'approved by nobody');
  else if (pr) parts.push('approvals not looked up');
  return parts.join('; ');
}

export const pullRequestLabel = (entry: AuditEntry): string => (entry.pullRequest ? `PR #${entry.pullRequest.number}` : 'no PR');

export const FLAG_LABEL: Record<LiveFlag, string> = {
  'not-on-main': 'NOT ON MAIN',
  'unknown-commit': 'UNKNOWN COMMIT',
  'no-file': 'NO FILE',
  uncommitted: 'UNCOMMITTED',
};

/** `9c8d7e6f0a1b PR #7 (2025-02-03...)` or the flags. */
export function appliedFrom(object: LiveObjectAudit): string {
  const from = object.appliedFrom;
  const pr = from?.pullRequest === undefined ? '' : ` PR #${from.pullRequest}`;
  const when = from ? ` (${from.date})` : '';
  const flags = object.flags.map((f) => FLAG_LABEL[f]).join(', ');
  return `${shortSha(object.commit)}${pr}${when}${flags ? `  ${flags}` : ''}`;
}

/** What the rule is for: `shop, wiki`, `baseline; shop`. */
export const ruleFor = (rule: AllowlistRuleAudit): string => [...(rule.baseline ? ['baseline'] : []), ...rule.databases].join('; ') || '(nothing named)';

/** `reached main 2025-01-09... in 9c8d7e6f0a1b PR #2 (databases/shop.yaml)`, or that no commit did. */
export function ruleOrigin(rule: AllowlistRuleAudit): string {
  const from = rule.addedBy;
  if (!from) return 'UNREVIEWED: no commit on main added this network';
  const pr = from.pullRequest ? ` PR #${from.pullRequest.number}` : ' no PR';
  return `added on main ${from.date} by ${shortSha(from.sha)}${pr} (${from.file}): ${from.subject}`;
}
