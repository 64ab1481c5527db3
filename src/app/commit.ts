/**
 * The commit a plan is made from, recorded in ownership markers for the audit trail, and the
 * repository files that commit does not account for (edited, staged or untracked).
 */
import { runGit } from '../adapters/git/git.js';
import { firstRef, isWorkTree } from '../adapters/git/refs.js';

/** What `platon-db` reads: a change anywhere here is a change the marker's commit does not hold. */
const INPUT_FOLDERS = ['databases', 'instances'];
/** Marks a commit whose files were changed before applying: no review stands behind it. */
export const DIRTY_SUFFIX = '+dirty';

export interface CommitStamp {
  /** What markers record: the commit, `<sha>+dirty`, or `unknown` outside git. */
  readonly commit: string;
  /** Files under databases/ and instances/ that differ from the commit (paths relative to root). */
  readonly uncommitted: readonly string[];
}

/**
 * PLATON_COMMIT, when set, is trusted as is: CI sets it to the commit it checked out. Otherwise
 * HEAD of the git checkout at `root`, marked dirty when the files read differ from it. Outside
 * git (or without git installed) plans still work and markers say `unknown`.
 */
export async function commitStamp(root: string, env: Readonly<Record<string, string | undefined>>): Promise<CommitStamp> {
  if (env.PLATON_COMMIT) return { commit: env.PLATON_COMMIT, uncommitted: [] };
  if (!(await isWorkTree(root).catch(() => false))) return { commit: 'unknown', uncommitted: [] };
  // No commit yet: every file is uncommitted.
  const sha = (await firstRef(root, ['HEAD']))?.sha;
  const uncommitted = await uncommittedFiles(root, sha !== undefined);
  if (sha === undefined) return { commit: 'unknown', uncommitted };
  return { commit: uncommitted.length > 0 ? `${sha}${DIRTY_SUFFIX}` : sha, uncommitted };
}

export async function currentCommit(root: string, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  return (await commitStamp(root, env)).commit;
}

/** Tracked files changed since HEAD (staged or not) and untracked ones, ignored ones included: platon-db reads those too. */
async function uncommittedFiles(root: string, hasHead: boolean): Promise<string[]> {
  const changed = hasHead ? await gitLines(root, ['diff', '-z', '--name-only', '--relative', '--no-renames', 'HEAD', '--', ...INPUT_FOLDERS]) : await gitLines(root, ['ls-files', '-z', '--', ...INPUT_FOLDERS]);
  const untracked = await gitLines(root, ['ls-files', '-z', '--others', '--', ...INPUT_FOLDERS]);
  return [...new Set([...changed, ...untracked])].sort();
}

/** The paths a `-z` git command lists (unquoted, whatever characters they hold); none when git fails. */
async function gitLines(root: string, args: readonly string[]): Promise<string[]> {
  const result = await runGit(root, args);
  return result.code === 0 ? result.stdout.split('\0').filter((path) => path !== '') : [];
}
