/** Questions the audit asks git about refs and commits. */
import { runGit } from './git.js';

export type Ancestry = 'on-branch' | 'not-on-branch' | 'unknown-commit';

/**
 * Whether `commit` is in `ref`'s history (`git merge-base --is-ancestor`: 0 yes, 1 no). Anything
 * else, e.g. `unknown` or a commit this clone never fetched (a deleted branch, a shallow clone),
 * is an unknown commit.
 */
export async function ancestry(cwd: string, commit: string, ref: string): Promise<Ancestry> {
  if (!/^[0-9a-f]{7,64}$/i.test(commit)) return 'unknown-commit';
  const known = await runGit(cwd, ['cat-file', '-e', `${commit}^{commit}`]);
  if (known.code !== 0) return 'unknown-commit';
  const result = await runGit(cwd, ['merge-base', '--is-ancestor', commit, ref]);
  return result.code === 0 ? 'on-branch' : 'not-on-branch';
}

/** Whether `path` (relative to cwd) exists at `ref`. */
export async function existsAt(cwd: string, ref: string, path: string): Promise<boolean> {
  return (await runGit(cwd, ['cat-file', '-e', `${ref}:./${path}`])).code === 0;
}

/** The first of `candidates` that names a commit, resolved to its full sha. */
export async function firstRef(cwd: string, candidates: readonly string[]): Promise<{ ref: string; sha: string } | undefined> {
  for (const ref of candidates) {
    const result = await runGit(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (result.code === 0) return { ref, sha: result.stdout.trim() };
  }
  return undefined;
}

/**
 * The branch `origin/HEAD` points to (`origin/trunk`): what `git clone` recorded as the remote's
 * default branch. Undefined when the clone has no such ref (actions/checkout does not write it).
 */
export async function remoteDefaultBranch(cwd: string): Promise<string | undefined> {
  const result = await runGit(cwd, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  const ref = result.stdout.trim();
  return result.code === 0 && ref !== '' ? ref : undefined;
}

/** Every file path under `folder` that ever existed on `ref` (relative to cwd), sorted. */
export async function pathsEverIn(cwd: string, ref: string, folder: string): Promise<string[]> {
  const result = await runGit(cwd, ['log', '--format=', '--name-only', '--relative', ref, '--', folder]);
  if (result.code !== 0) return [];
  return [...new Set(result.stdout.split('\n').filter(Boolean))].sort();
}

/** Whether cwd is inside a git work tree. */
export async function isWorkTree(cwd: string): Promise<boolean> {
  const result = await runGit(cwd, ['rev-parse', '--is-inside-work-tree']);
  return result.code === 0 && result.stdout.trim() === 'true';
}

/** A commit's subject and author date, or undefined when git does not know it. */
export async function commitInfo(cwd: string, sha: string): Promise<{ subject: string; date: string } | undefined> {
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) return undefined;
  const result = await runGit(cwd, ['show', '-s', '--format=%aI%x1f%s', `${sha}^{commit}`]);
  if (result.code !== 0) return undefined;
  const [date = '', subject = ''] = result.stdout.trim().split('\x1f');
  return { subject, date };
}
