/**
 * `platon-db audit` on a temporary git repository with a real team's history (several authors,
 * a merge-commit PR, a squash PR, a direct push, an unmerged branch) and on the test server,
 * whose ownership markers are written by the real apply pipeline with commits from that history.
 * GitHub (PRs and reviews) is nock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import type { AuditReport } from '../../src/model/audit.js';
import { harness, type Harness } from '../support/applier.js';
import { spec } from '../support/states.js';
import { adminUrl, dropPrefixed, uniquePrefix } from '../support/postgres.js';
import { GitRepo, person } from '../support/git-repo.js';
import { githubEnv } from '../support/github-nock.js';
import { useGitHubDouble } from '../support/github-double.js';
import { FileAllowlist } from '../../src/adapters/local/file-allowlist.js';
import { ruleDescription } from '../../src/diff/allowlist-description.js';
import { LOCAL_GROUP } from '../../src/app/instance-access.js';

const TOOL = join(import.meta.dirname, '..', '..');
const prefix = uniquePrefix(import.meta.url);
const shop = `${prefix}_shop`;
const ghost = `${prefix}_ghost`;
const [alice, bob, carol, dave, eve, mallory] = [person('Alice'), person('Bob'), person('Carol'), person('Dave'), person('Eve'), person('Mallory')] as const;

const file = (networks: readonly string[], connectionLimit = 20) => `name: ${shop}
team: shop-team
project: Shop
contact: shop@example.org
connectionLimit: ${connectionLimit}
access:
  external:
${networks.map((n) => `    - ${n}`).join('\n')}
`;
const PARTNER_A = '{ cidr: 81.91.101.0/28, description: Partner A }';
const PARTNER_B = '{ cidr: 91.198.174.0/24, description: Partner B }';

let repo: GitRepo;
let h: Harness;
const sha = {} as Record<'setup' | 'order' | 'orderMerge' | 'squash' | 'direct' | 'branch', string>;

const gh = useGitHubDouble();

beforeAll(async () => {
  repo = GitRepo.create();
  const instances = Object.fromEntries(
    readdirSync(join(TOOL, 'instances')).map((name) => [`instances/${name}`, readFileSync(join(TOOL, 'instances', name), 'utf8')]),
  );
  sha.setup = repo.commit(alice, 'Initial setup', instances);

  // PR #1 by Bob, merged by Carol with a merge commit.
  repo.checkout('order-shop', true);
  sha.order = repo.commit(bob, 'Order the shop database', { [`databases/${shop}.yaml`]: file([PARTNER_A]) });
  sha.orderMerge = repo.mergePullRequest(1, 'order-shop', carol);
  // PR #2 by Dave, squash-merged.
  sha.squash = repo.commit(dave, 'Give partner B access (#2)', { [`databases/${shop}.yaml`]: file([PARTNER_A, PARTNER_B], 40) });
  // Eve pushes to main directly.
  sha.direct = repo.commit(eve, 'Remove partner A', { [`databases/${shop}.yaml`]: file([PARTNER_B], 40) });
  // Mallory's branch is never merged.
  repo.checkout('experiment', true);
  sha.branch = repo.commit(mallory, 'Try a wider network', { [`databases/${shop}.yaml`]: file(['{ cidr: 91.198.0.0/16, description: Everyone }'], 40) });
  repo.checkout('main');

  // Live: the shop applied from main's head; its read-only role re-marked from Mallory's branch;
  // a managed database nobody has a file for.
  h = await harness();
  const applied = await h.apply([spec(shop, { team: 'shop-team' })], { commit: sha.direct });
  expect(applied.result.failed).toBeUndefined();
  await h.admin(`COMMENT ON ROLE "${shop}_ro" IS '{"managedBy":"platon-db","file":"databases/${shop}.yaml","team":"shop-team","commit":"${sha.branch}"}'`);
  expect((await h.apply([spec(ghost)], { commit: 'unknown' })).result.failed).toBeUndefined();
});

afterAll(() => dropPrefixed(prefix));

const audit = (args: string[], env: Record<string, string> = {}) =>
  runCli(['audit', '--root', repo.root, '--instance', 'local', ...args], { cwd: repo.root, env: { PLATON_DATABASE_URL: adminUrl(), ...env } });

/** GitHub knows PR #1 (approved by carol) and #2 (frank approved after commenting; grace wants changes), nothing for Eve's push. */
function mockGitHub(): void {
  gh.addPull({ number: 1, author: 'bob', mergedBy: 'carol' });
  gh.addReview(1, 'carol', 'APPROVED', '2025-01-09T10:00:00Z');
  gh.addPull({ number: 2, author: 'dave', mergedBy: 'carol' });
  // Past GitHub's first page of reviews, as a long discussion has.
  for (let i = 0; i < 110; i++) gh.addReview(2, 'ivan', 'COMMENTED');
  gh.addReview(2, 'frank', 'COMMENTED');
  gh.addReview(2, 'grace', 'APPROVED');
  gh.addReview(2, 'frank', 'APPROVED');
  gh.addReview(2, 'grace', 'CHANGES_REQUESTED');
  gh.addReview(2, 'heidi', 'PENDING');
}

describe('platon-db audit', () => {
  it('answers who gave a network access, when, through which PR, and who approved it', async () => {
    mockGitHub();
    const r = await audit([shop, '--main', 'main'], githubEnv());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));

    // Ordered through PR #1: Bob wrote it, Carol merged and approved, with partner A's network.
    const ordered = at(`${sha.orderMerge.slice(0, 12)}  ordered  PR #1: Merge pull request #1 from platon/order-shop`);
    expect(ordered).toBeGreaterThan(0);
    expect(lines[ordered + 1]).toBe('    by Bob <bob@example.org>; PR opened by bob; merged by carol; approved by carol');
    expect(lines.slice(ordered + 2, ordered + 9)).toContain('    + access.external 81.91.101.0/28 (Partner A)');

    // Partner B through squashed PR #2 by Dave: frank's approval counts, grace's was withdrawn.
    const squash = at(`${sha.squash.slice(0, 12)}  changed  PR #2: Give partner B access (#2)`);
    expect(lines.slice(squash + 1, squash + 4)).toEqual([
      '    by Dave <dave@example.org>; PR opened by dave; merged by carol; approved by frank',
      '    ~ connectionLimit: 20 -> 40',
      '    + access.external 91.198.174.0/24 (Partner B)',
    ]);

    // Eve's direct push removed partner A, with no review at all.
    const direct = at(`${sha.direct.slice(0, 12)}  changed  no PR: Remove partner A`);
    expect(lines.slice(direct + 1, direct + 3)).toEqual(['    by Eve <eve@example.org>', '    - access.external 81.91.101.0/28 (Partner A)']);
    expect(ordered).toBeLessThan(squash);
    expect(squash).toBeLessThan(direct);
    expect(r.out).not.toContain('Mallory');

    // Live: applied from main's head, except the role re-marked from the unmerged branch.
    expect(r.out).toMatch(new RegExp(`database ${shop} +${sha.direct.slice(0, 12)} \\(`));
    expect(r.out).toMatch(new RegExp(`role +${shop}_rw +${sha.direct.slice(0, 12)} \\(`));
    expect(r.out).toMatch(new RegExp(`role +${shop}_ro +${sha.branch.slice(0, 12)} \\(.*\\)  NOT ON MAIN`));
    expect(r.out).toContain(`  ! ${shop}: role ${shop}_ro: last applied from ${sha.branch.slice(0, 12)}, which is not on main`);
    expect(r.out).toContain(`  ! ${shop}: ${sha.direct.slice(0, 12)} `);
    expect(r.out).toContain('GitHub knows no pull request for it');
  });

  it('flags a managed database that has no file and an unknown commit', async () => {
    const r = await audit([ghost, '--main', 'main']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${ghost} (databases/${ghost}.yaml)\n  no history on this branch`);
    expect(r.out).toMatch(new RegExp(`database ${ghost} +unknown  UNKNOWN COMMIT, NO FILE`));
    expect(r.out).toContain(`  ! ${ghost}: database ${ghost}: managed, but databases/${ghost}.yaml is not on main`);
    expect(r.out).not.toContain('Notes:'); // no history, so nothing to look up
  });

  it('as JSON, every database main ever had plus every managed one live', async () => {
    const r = await audit(['--format', 'json', '--main', 'main']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as AuditReport;
    expect(report.formatVersion).toBe('platon-db.audit.v1');
    expect(report.main).toEqual({ ref: 'main', sha: sha.direct });
    const names = report.databases.map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining([shop, ghost]));
    const shopAudit = report.databases.find((d) => d.name === shop)!;
    expect(shopAudit.history.map((e) => [e.sha, e.kind, e.pullRequest?.number])).toEqual([
      [sha.orderMerge, 'ordered', 1],
      [sha.squash, 'changed', 2],
      [sha.direct, 'changed', undefined],
    ]);
    expect(shopAudit.live?.map((o) => [o.kind, o.name, o.flags])).toEqual([
      ['database', shop, []],
      ['role', `${shop}_owner`, []],
      ['role', `${shop}_ro`, ['not-on-main']],
      ['role', `${shop}_rw`, []],
    ]);
  });

  it('as markdown, and from git alone with --no-live', async () => {
    const r = await audit([shop, '--format', 'markdown', '--no-live', '--main', 'main'], { PLATON_DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/x' });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`## platon-db audit: \`${shop}\``);
    expect(r.out).toContain('the instance was not read');
    expect(r.out).toContain('`+ access.external 91.198.174.0/24 (Partner B)`');
    expect(r.out).not.toContain('Live on');
  });

  it('defaults to origin/main, then main; refuses what is not a database name or a clone', async () => {
    expect((await audit([shop, '--no-live'])).out).toContain('Audit of databases/ on main (');
    const bad = await audit(['../etc', '--no-live']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('error: ../etc is not a database name');
    const unknown = await audit(['nosuchdb', '--main', 'main']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('error: unknown database nosuchdb: there is no databases/nosuchdb.yaml, main never had one, and instance local manages no database by that name');
    const missing = await audit([shop, '--no-live', '--main', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('error: no nope in this clone');
  });

  // EC2 keeps no time or author for a security group rule (DescribeSecurityGroupRules returns its
  // id, network, ports and description only), and anyone allowed AuthorizeSecurityGroupIngress can
  // write any description: the reviewed commit on main is the only record of who asked for a network.
  it('lists each managed allowlist rule with the commit that added its network to main, and flags a rule no commit asked for', async () => {
    const allowlist = new FileAllowlist({ path: join(repo.root, '.platon', 'allowlist.json'), groupIds: [LOCAL_GROUP], rulesPerGroup: 60 });
    await allowlist.authorize({ groupId: LOCAL_GROUP, cidr: '91.198.174.0/24', port: 5432, description: ruleDescription({ usedBy: [shop] }) });
    // Opened by hand with a description that claims the shop asked for it.
    await allowlist.authorize({ groupId: LOCAL_GROUP, cidr: '203.0.113.0/24', port: 5432, description: `platon-db: ${shop}` });

    const json = JSON.parse((await audit(['--format', 'json', '--main', 'main'])).out) as AuditReport;
    const rules = new Map(json.rules?.map((rule) => [rule.cidr, rule]));
    expect(rules.get('91.198.174.0/24')).toMatchObject({
      databases: [shop],
      baseline: false,
      addedBy: { file: `databases/${shop}.yaml`, sha: sha.squash, subject: 'Give partner B access (#2)', pullRequest: { number: 2 }, authors: [dave] },
    });
    expect(rules.get('203.0.113.0/24')?.addedBy).toBeUndefined();
    expect(json.findings.filter((f) => f.code === 'allowlist.unreviewed').map((f) => f.message)).toEqual([
      expect.stringMatching(/^allowlist rule sgr-\w+ opens 203\.0\.113\.0\/24 .*no commit on main added 203\.0\.113\.0\/24/),
    ]);

    const text = (await audit([shop, '--main', 'main'])).out;
    expect(text).toContain(`  91.198.174.0/24  `);
    expect(text).toContain(`    added on main ${json.rules!.find((r) => r.cidr === '91.198.174.0/24')!.addedBy!.date} by ${sha.squash.slice(0, 12)} PR #2 (databases/${shop}.yaml): Give partner B access (#2)`);
    expect(text).toMatch(/ {2}203\.0\.113\.0\/24 .*\n {4}UNREVIEWED: no commit on main added this network/);
    const markdown = (await audit([shop, '--format', 'markdown', '--main', 'main'])).out;
    expect(markdown).toContain('### Allowlist rules on `local`');
    expect(markdown).toMatch(/\| `91\.198\.174\.0\/24` \| .* PR #2 /);
  });

  it('still audits the databases when the allowlist cannot be read (an auditor without AWS credentials), and says so', async () => {
    const path = join(repo.root, '.platon', 'allowlist.json');
    const saved = await readFile(path, 'utf8');
    await writeFile(path, '{ not json');
    try {
      const r = await audit(['--format', 'json', '--main', 'main']);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/^allowlist rules of \S+ not read \(.+\); the audit shows none$/m);
      const json = JSON.parse(r.out) as AuditReport;
      expect(json.rules).toBeUndefined();
      expect(json.databases.map((d) => d.name)).toContain(shop);
    } finally {
      await writeFile(path, saved);
    }
  });

  it('warns and notes when GitHub fails, and still audits', async () => {
    // The lookups run side by side: whichever fails first is reported, the rest are not made.
    for (const operation of ['pulls/get', 'pulls/get', 'repos/list-pull-requests-associated-with-commit'] as const) {
      gh.fail(operation, 500, { message: 'Server Error' });
    }
    const r = await audit([shop, '--no-live', '--main', 'main'], githubEnv());
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^warning: GitHub: (reading pull request #[12]|finding the pull request of commit \w+) failed: HTTP 500 Server Error\n$/);
    expect(r.out).toContain('approvals are incomplete');
    expect(r.out).toContain('PR #1');
  });
});
