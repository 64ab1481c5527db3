/**
 * The history of one file as it reached a branch: each commit on the branch's first-parent line
 * that changed it. A pull request merged with a merge commit shows as that merge (compared with
 * the branch before it), a squash or rebase as its own commits, so each entry is one change to
 * `main` whatever the merge style; the PR's own commits are read for their authors.
 */
import type { Person } from '../../model/audit.js';
import { git, runGit } from './git.js';

export interface FileCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly author: Person;
  /** Author date, ISO 8601 with offset. */
  readonly date: string;
  readonly subject: string;
  /** A added, M modified, D deleted, R renamed (from `previousPath`). */
  readonly status: 'A' | 'M' | 'D' | 'R';
  /** The file's path at this commit, relative to the repository root. */
  readonly path: string;
  /** Before a rename, the old path. */
  readonly previousPath?: string;
}

const RECORD = '\x1e';
const FIELD = '\x1f';
const FORMAT = `${RECORD}%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`;

/** Newest first, as git lists it. `path` is relative to `cwd` (the repository root). */
export async function fileHistory(cwd: string, ref: string, path: string): Promise<FileCommit[]> {
  const out = await git(cwd, [
    'log',
    '--first-parent',
    // A merge is compared with its first parent only: what the merge did to the branch.
    '--diff-merges=first-parent',
    '--follow',
    '--name-status',
    `--format=${FORMAT}`,
    ref,
    '--',
    path,
  ]);
  return out
    .split(RECORD)
    .filter((record) => record.trim() !== '')
    .map((record) => parseRecord(record, path));
}

function parseRecord(record: string, fallbackPath: string): FileCommit {
  const [header = '', ...rest] = record.split('\n');
  const [sha = '', parents = '', name = '', email = '', date = '', subject = ''] = header.split(FIELD);
  const statusLine = rest.find((line) => /^[AMDRTC]\d*\t/.test(line));
  const [code = 'M', first = fallbackPath, second] = statusLine?.split('\t') ?? [];
  const renamed = code.startsWith('R') || code.startsWith('C');
  return {
    sha,
    parents: parents.split(' ').filter(Boolean),
    author: { name, email },
    date,
    subject,
    status: renamed ? 'R' : code === 'A' || code === 'D' ? code : 'M',
    path: renamed && second ? second : first,
    ...(renamed ? { previousPath: first } : {}),
  };
}

/** The file's text at `sha`, or null when it does not exist there. */
export async function fileAt(cwd: string, sha: string, path: string): Promise<string | null> {
  // `./` makes the path relative to cwd rather than to the top of the work tree.
  const result = await runGit(cwd, ['show', `${sha}:./${path}`]);
  return result.code === 0 ? result.stdout : null;
}

/** For a merge commit: who wrote the branch commits that touched `path` (distinct, oldest first). */
export async function branchAuthors(cwd: string, merge: FileCommit): Promise<Person[]> {
  const [base] = merge.parents;
  if (merge.parents.length < 2 || base === undefined) return [merge.author];
  const out = await git(cwd, ['log', '--no-merges', '--reverse', `--format=%an${FIELD}%ae`, `${base}..${merge.sha}`, '--', merge.path]);
  const seen = new Map<string, Person>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [name = '', email = ''] = line.split(FIELD);
    if (!seen.has(email)) seen.set(email, { name, email });
  }
  return seen.size > 0 ? [...seen.values()] : [merge.author];
}
