/**
 * A throwaway git repository built commit by commit, with each commit's author and date set
 * through GIT_AUTHOR_* / GIT_COMMITTER_* as a real team's history would have them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Author {
  readonly name: string;
  readonly email: string;
}

export const person = (name: string): Author => ({ name, email: `${name.toLowerCase()}@example.org` });

export class GitRepo {
  private clock = Date.parse('2025-01-06T09:00:00Z');

  private constructor(readonly root: string) {}

  /** A new repository whose first branch is `branch` (GitHub's default name is main). */
  static create(branch = 'main'): GitRepo {
    const repo = new GitRepo(mkdtempSync(join(tmpdir(), 'platon-db-git-')));
    repo.git(['init', '-q', '-b', branch], person('Setup'));
    return repo;
  }

  /** `git clone <args> <from>` into a new folder, as a developer's or a CI runner's clone. */
  static clone(from: GitRepo, args: readonly string[] = []): GitRepo {
    const root = mkdtempSync(join(tmpdir(), 'platon-db-clone-'));
    new GitRepo(from.root).git(['clone', '-q', ...args, from.root, root], person('Setup'));
    return new GitRepo(root);
  }

  /**
   * An empty repository that fetches `from` the way actions/checkout does with fetch-depth: 0
   * (`git fetch origin +refs/heads/*:refs/remotes/origin/*`, then a detached checkout): remote
   * branches only, no local main and no origin/HEAD.
   */
  static ciCheckout(from: GitRepo, ref: string): GitRepo {
    const repo = new GitRepo(mkdtempSync(join(tmpdir(), 'platon-db-ci-')));
    const setup = person('Setup');
    repo.git(['init', '-q'], setup);
    repo.git(['remote', 'add', 'origin', from.root], setup);
    repo.git(['fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*'], setup);
    repo.git(['checkout', '-q', '--detach', ref], setup);
    return repo;
  }

  /** Runs git as `who` (author and committer); each call is one day after the last. */
  git(args: readonly string[], who: Author): string {
    this.clock += 24 * 3600 * 1000;
    const date = new Date(this.clock).toISOString();
    return execFileSync('git', [...args], {
      cwd: this.root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
      },
    }).trim();
  }

  /** Writes (or, for null, deletes) files and commits them; returns the sha. */
  commit(who: Author, message: string, files: Record<string, string | null>): string {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.root, path);
      if (text === null) rmSync(full);
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text);
      }
    }
    this.git(['add', '-A', '--', ...Object.keys(files)], who);
    this.git(['commit', '-q', '-m', message], who);
    return this.head();
  }

  checkout(branch: string, create = false): void {
    this.git(['checkout', '-q', ...(create ? ['-b'] : []), branch], person('Setup'));
  }

  /** A merge commit on main, as GitHub's "Create a merge commit" button writes it. */
  mergePullRequest(number: number, branch: string, who: Author): string {
    this.checkout('main');
    this.git(['merge', '-q', '--no-ff', '-m', `Merge pull request #${number} from platon/${branch}`, '-m', `Pull request ${number}`, branch], who);
    return this.head();
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD'], person('Setup'));
  }
}
