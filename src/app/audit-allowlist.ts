/**
 * The instance's managed allowlist rules for the live audit, each with the commit on main that
 * added its network to a file its description names (the database's, or the instance file's for
 * a baseline rule).
 */
import type { IngressRule } from '../model/allowlist.js';
import { MANAGED_PREFIX } from '../model/allowlist.js';
import type { AllowlistRuleAudit, AuditFinding } from '../model/audit.js';
import { addedBy, ruleUsers } from '../audit/allowlist-rules.js';
import { databaseHistory } from './audit-history.js';

export async function auditAllowlist(root: string, mainRef: string, instanceFile: string, rules: readonly IngressRule[]): Promise<AllowlistRuleAudit[]> {
  const histories = new Map<string, ReturnType<typeof databaseHistory>>();
  const history = (file: string) => histories.get(file) ?? histories.set(file, databaseHistory(root, mainRef, file)).get(file)!;
  const managed = rules.filter((r): r is IngressRule & { cidr: string } => r.cidr !== undefined && r.description.startsWith(MANAGED_PREFIX));
  const audited = await Promise.all(
    managed.map(async (rule): Promise<AllowlistRuleAudit> => {
      const users = ruleUsers(rule.description);
      const files = [...(users.baseline ? [instanceFile] : []), ...users.databases.map((d) => `databases/${d}.yaml`)];
      const found = addedBy(rule.cidr, await Promise.all(files.map(async (file) => ({ file, history: await history(file) }))));
      const entry = found?.entry;
      return {
        groupId: rule.groupId,
        ruleId: rule.ruleId,
        cidr: rule.cidr,
        description: rule.description,
        databases: users.databases,
        baseline: users.baseline,
        ...(found && entry
          ? {
              addedBy: {
                file: found.file,
                sha: entry.sha,
                date: entry.date,
                subject: entry.subject,
                authors: entry.authors,
                ...(entry.mergedBy ? { mergedBy: entry.mergedBy } : {}),
                ...(entry.pullRequest ? { pullRequest: entry.pullRequest } : {}),
              },
            }
          : {}),
      };
    }),
  );
  return audited.sort((a, b) => a.cidr.localeCompare(b.cidr));
}

/** A rule no commit on main asked for was opened by hand, or from a branch: nobody reviewed it. */
export function allowlistFindings(rules: readonly AllowlistRuleAudit[], mainRef: string): AuditFinding[] {
  return rules
    .filter((r) => r.addedBy === undefined)
    .map((r) => ({
      database: r.databases.join(', ') || (r.baseline ? 'baseline' : '(none)'),
      code: 'allowlist.unreviewed' as const,
      message: `allowlist rule ${r.ruleId} opens ${r.cidr} (${r.description}), but no commit on ${mainRef} added ${r.cidr} to ${r.baseline ? 'baselineNetworks or ' : ''}access.external of a database it names`,
    }));
}
