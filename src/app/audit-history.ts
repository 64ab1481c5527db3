/**
 * The git half of the audit: a database file's history on main, each commit turned into who,
 * when, which pull request, and which fields changed.
 */
import pLimit from 'p-limit';
import type { AuditEntry } from '../model/audit.js';
import { branchAuthors, fileAt, fileHistory, type FileCommit } from '../adapters/git/file-history.js';
import { parseYaml } from '../load/parse-yaml.js';
import { fieldChanges } from '../audit/yaml-changes.js';
import { pullRequestNumber } from '../audit/pull-request-number.js';

/** Oldest first. `file` is relative to `root`, e.g. `databases/studentweb.yaml`. */
export async function databaseHistory(root: string, mainRef: string, file: string): Promise<AuditEntry[]> {
  const commits = (await fileHistory(root, mainRef, file)).reverse();
  const limit = pLimit(8);
  return Promise.all(commits.map((commit) => limit(() => entry(root, commit))));
}

async function entry(root: string, commit: FileCommit): Promise<AuditEntry> {
  const [parent] = commit.parents;
  const beforeText = commit.status === 'A' || parent === undefined ? null : await fileAt(root, parent, commit.previousPath ?? commit.path);
  const afterText = commit.status === 'D' ? null : await fileAt(root, commit.sha, commit.path);
  const before = read(beforeText);
  const after = read(afterText);
  const merge = commit.parents.length > 1;
  const number = pullRequestNumber(commit.subject);
  return {
    sha: commit.sha,
    date: commit.date,
    subject: commit.subject,
    kind: commit.status === 'A' ? 'ordered' : commit.status === 'D' ? 'removed' : 'changed',
    authors: merge ? await branchAuthors(root, commit) : [commit.author],
    ...(merge ? { mergedBy: commit.author } : {}),
    ...(number === undefined ? {} : { pullRequest: { number } }),
    changes: before.ok && after.ok ? fieldChanges(before.value, after.value) : [],
    ...(before.ok && after.ok ? {} : { unreadable: true }),
  };
}

/** A missing file reads as nothing; a file that is not the YAML we accept as unreadable. */
function read(text: string | null): { ok: true; value: unknown } | { ok: false } {
  if (text === null) return { ok: true, value: null };
  // The validator's loader: no aliases, tags or other YAML a hostile commit could abuse.
  const parsed = parseYaml(text);
  return parsed.ok ? { ok: true, value: parsed.yaml.value } : { ok: false };
}
