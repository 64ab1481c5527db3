/**
 * Which branch `platon-db audit` reads without `--main`, in the clones people and CI runners
 * really have (built with real git): a clone of another branch, an actions/checkout style fetch
 * with remote branches only, a repository with only a local main, a remote whose default branch
 * is not called main, and a clone with no main at all.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import type { AuditReport } from '../../src/model/audit.js';
import { GitRepo, person } from '../support/git-repo.js';

const alice = person('Alice');
const shop = 'shop';
const file = (limit: number) => `name: ${shop}\nteam: shop-team\nproject: Shop\ncontact: shop@example.org\nconnectionLimit: ${limit}\n`;

/** The team's repository on the "server": main has the shop order, a branch changes it. */
function upstream(defaultBranch = 'main'): { repo: GitRepo; main: string; feature: string } {
  const repo = GitRepo.create(defaultBranch);
  const main = repo.commit(alice, 'Order the shop (#1)', { [`databases/${shop}.yaml`]: file(20) });
  repo.checkout('feature', true);
  const feature = repo.commit(alice, 'Raise the limit', { [`databases/${shop}.yaml`]: file(50) });
  repo.checkout(defaultBranch);
  return { repo, main, feature };
}

const audit = async (root: string) => {
  const r = await runCli(['audit', '--root', root, '--no-live', '--format', 'json'], { cwd: root });
  return { ...r, report: r.code === 0 ? (JSON.parse(r.out) as AuditReport) : undefined };
};

describe('audit finds the main branch without --main', () => {
  it('in a clone of another branch: origin/main (git clone --branch makes no local main)', async () => {
    const { repo, main } = upstream();
    const clone = GitRepo.clone(repo, ['--branch', 'feature']);
    expect(clone.git(['branch', '--list', 'main'], alice)).toBe('');
    const r = await audit(clone.root);
    expect(r.err).toBe('');
    expect(r.report?.main).toEqual({ ref: 'origin/main', sha: main });
    // The history is main's, not the checked-out branch's.
    expect(r.report?.databases[0]?.history.map((e) => e.sha)).toEqual([main]);
  });

  it('in a CI checkout of a pull request (remote branches only, detached, no origin/HEAD): origin/main', async () => {
    const { repo, main } = upstream();
    const ci = GitRepo.ciCheckout(repo, 'origin/feature');
    const r = await audit(ci.root);
    expect(r.err).toBe('');
    expect(r.report?.main).toEqual({ ref: 'origin/main', sha: main });
  });

  it('in a repository with no remote: the local main', async () => {
    const { repo, main } = upstream();
    repo.checkout('feature');
    const r = await audit(repo.root);
    expect(r.report?.main).toEqual({ ref: 'main', sha: main });
  });

  it("when the remote's default branch has another name: the branch origin/HEAD points to", async () => {
    const { repo, main } = upstream('trunk');
    const clone = GitRepo.clone(repo);
    const r = await audit(clone.root);
    expect(r.err).toBe('');
    expect(r.report?.main).toEqual({ ref: 'origin/trunk', sha: main });
  });

  it('with no main branch at all: one line naming what was tried, and how to name one', async () => {
    const { repo } = upstream('trunk');
    const r = await audit(repo.root);
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: no main branch in this clone: tried origin/main, main, origin/HEAD\nhint: name the branch with --main REF (in CI, fetch it with fetch-depth: 0)\n');
  });
});
