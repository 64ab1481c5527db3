/**
 * What in an audit needs a person's attention: live objects that main cannot account for, and
 * changes that reached main without a reviewed pull request. Pure.
 */
import type { AuditFinding, DatabaseAudit, LiveFlag } from '../model/audit.js';

/** `askedGitHub`: whether pull requests were looked up (a rebase merge has no number in its subject). */
export function auditFindings(databases: readonly DatabaseAudit[], mainRef: string, askedGitHub: boolean): AuditFinding[] {
  return databases.flatMap((d) => [
    ...(d.live ?? []).flatMap((object) =>
      object.flags.map((code): AuditFinding => ({ database: d.name, code, message: `${object.kind} ${object.name}: ${FLAG_TEXT[code](object.commit, object.file, mainRef)}` })),
    ),
    ...d.history.flatMap((entry): AuditFinding[] => {
      const at = `${entry.sha.slice(0, 12)} (${entry.date})`;
      if (entry.pullRequest === undefined) {
        const where = askedGitHub ? 'GitHub knows no pull request for it' : 'its subject names no pull request (GitHub was not asked)';
        return [{ database: d.name, code: 'no-pull-request', message: `${at} changed ${d.file} on ${mainRef}: ${where}` }];
      }
      if (entry.pullRequest.approvers?.length === 0) {
        return [{ database: d.name, code: 'not-approved', message: `${at} came through pull request #${entry.pullRequest.number}, which nobody approved` }];
      }
      return [];
    }),
  ]);
}

const FLAG_TEXT: Record<LiveFlag, (commit: string, file: string, main: string) => string> = {
  'not-on-main': (commit, _file, main) => `last applied from ${commit.slice(0, 12)}, which is not on ${main}`,
  'unknown-commit': (commit) => `last applied from ${commit === 'unknown' ? 'an unknown commit' : commit.slice(0, 12)}, which this clone does not have`,
  'no-file': (_commit, file, main) => `managed, but ${file} is not on ${main}`,
  uncommitted: (commit) => `last applied from files that differed from ${commit.slice(0, 12)} (not committed), which nobody reviewed`,
};
