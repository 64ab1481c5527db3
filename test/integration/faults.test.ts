/**
 * Faults (issue 7, item 3), each through the CLI: one clear message, the documented exit code
 * (README, "Exit codes"), and the next run converges (apply completes, the plan is empty, every
 * secret was written once).
 * - The database connection cut during an apply (pg_terminate_backend of the applier's sessions,
 *   from a second admin: SIMULATION of a failover or an operator), and of the lock session alone.
 * - Vault down (connection refused) and answering 503, before and during an apply.
 * - AWS throttling (past the SDK's retries, and once, which a retry absorbs) and access denied,
 *   on discovery, on listing the allowlist and on adding a rule: the real SDK (signing, XML,
 *   retries) against an HTTP double of RDS and EC2.
 * - GitHub down: the apply succeeds; the comment step warns and exits 0.
 */
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { bootstrapRdsLike } from '../../src/adapters/postgres/bootstrap-rds-like.js';
import { generatePassword } from '../../src/adapters/secrets/password.js';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { manyDatabases, writeLocalRepo } from '../support/local-repo.js';
import { AwsDouble } from '../support/aws-double.js';
import { adminUrl, canConnect, dropPrefixed, superuserUrl, uniquePrefix, urlAs, withClient } from '../support/postgres.js';
import { VaultDouble } from '../support/vault-double.js';
import { vaultWorld, writeDatabaseFile, writeVaultRepo, type VaultWorld } from '../support/vault-repo.js';

const prefix = uniquePrefix(import.meta.url);
afterAll(() => dropPrefixed(prefix));

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** The CLI in-process, in `root` (given as --root too, except to the GitHub steps, which take files). */
async function cli(root: string, argv: string[], env: Record<string, string>): Promise<Run> {
  const withRoot = argv[0] === 'report-apply' ? argv : [...argv, '--root', root];
  return runCli(withRoot, { cwd: root, env: { PLATON_COMMIT: 'c0ffee', ...env } });
}

/** The lines that say what went wrong: `error:`/`hint:` on stderr, or the apply's failure report. */
const problem = (run: Run) => `${run.err}${run.out.slice(run.out.indexOf('\nApply failed at:') + 1 || run.out.length)}`;

/** Converged: the apply that follows a fault completes, and a plan after it is empty. */
async function expectConverges(root: string, env: Record<string, string>): Promise<void> {
  const again = await cli(root, ['apply', '--auto-approve'], env);
  expect(again.code, again.out + again.err).toBe(0);
  const plan = await cli(root, ['plan', '--detailed-exitcode'], env);
  expect(plan.code, plan.out + plan.err).toBe(0);
}

describe.skipIf(!superuserUrl())('the database connection cut during an apply', () => {
  let admin2: string;
  let user2: string;

  beforeAll(async () => {
    // A second RDS-like admin, so that only this test's sessions are terminated.
    user2 = `${prefix}_admin`;
    const password = generatePassword();
    await withClient(superuserUrl()!, (c) => bootstrapRdsLike(c, { user: user2, password }));
    admin2 = urlAs({ user: user2, password, database: 'postgres' });
  });

  /** Runs apply and, once `databases` of its databases exist, terminates the sessions `which` selects. */
  async function cutDuring(root: string, names: string, databases: number, which: string): Promise<{ run: Run; cut: number }> {
    let cut = 0;
    let done = false;
    const applying = cli(root, ['apply', '--auto-approve'], { PLATON_DATABASE_URL: admin2 }).finally(() => (done = true));
    await withClient(superuserUrl()!, async (c) => {
      while (!done && cut === 0) {
        const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE $1`, [`${names.replace(/_/g, '\\_')}%`]);
        if (rows[0]!.n >= databases) {
          const killed = await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND ${which}`, [user2]);
          cut = killed.rowCount ?? 0;
        } else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    return { run: await applying, cut };
  }

  it('every session terminated: exit 1 with what failed and what was applied; the next apply converges', async () => {
    const names = `${prefix}_cut`;
    const root = await writeLocalRepo(`cut-${prefix.slice(-6)}`, manyDatabases(names, 10));
    const { run, cut } = await cutDuring(root, names, 3, 'true');
    expect(cut).toBeGreaterThanOrEqual(2); // the lock session and the one applying
    expect(run.code).toBe(1);
    // Both sessions die at once; which the applier notices first (its statement's, or the lock
    // session's) depends on scheduling. Either way it must say so and stop.
    expect(problem(run)).toMatch(
      /^Apply failed at: .+\n {2}(terminating connection due to administrator command|Connection terminated unexpectedly|.*not queryable.*|the apply lock on instance \S+ was lost .*)\n\d+ changes applied, \d+ not applied\./m,
    );
    expect(run.err).toBe('');
    await expectConverges(root, { PLATON_DATABASE_URL: admin2 });
  });

  it('the lock session alone terminated: the apply stops before its next step, exit 1; the next apply converges', async () => {
    const names = `${prefix}_lock`;
    const instance = `lock-${prefix.slice(-6)}`;
    const root = await writeLocalRepo(instance, manyDatabases(names, 10));
    const { run, cut } = await cutDuring(root, names, 2, "query LIKE '%pg_try_advisory_lock%'");
    expect(cut).toBe(1);
    expect(run.code, run.out).toBe(1);
    expect(problem(run)).toContain(`the apply lock on instance ${instance} was lost`);
    await expectConverges(root, { PLATON_DATABASE_URL: admin2 });
    const store = new FileSecretStore({ store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance });
    for (const db of manyDatabases(names, 10)) {
      const versions = await store.versions(store.refFor(db.name, 'rw'));
      expect(versions).toHaveLength(1);
      expect(await canConnect({ user: `${db.name}_rw`, password: versions[0]!.credentials.password, database: db.name })).toBe(true);
    }
  });
});

describe('Vault unavailable', () => {
  let world: VaultWorld;
  const instance = `fltv-${prefix.slice(-6)}`;
  beforeAll(async () => {
    world = await vaultWorld(`${prefix}_v`, instance);
  });
  afterAll(() => world.close());

  it('down (connection refused) before an apply: exit 1, one line naming Vault; nothing is created; the next apply converges', async () => {
    await world.vault.down();
    let run: Run;
    try {
      run = await cli(world.root, ['apply', '--auto-approve'], world.env);
    } finally {
      await world.vault.up();
    }
    expect(run.code).toBe(1);
    const message = problem(run);
    expect(message.match(new RegExp(`cannot reach Vault at ${world.vault.address}`, 'g'))).toHaveLength(1);
    expect(message).not.toMatch(/^\s+at /m);
    expect(await databaseExists(`${prefix}_v_shop`)).toBe(false);
    await expectConverges(world.root, world.env);
  });

  it('sealed (HTTP 503) in the middle of an apply: exit 1, the failed step and the rest listed; the next apply converges', async () => {
    const late = `${prefix}_v_late`;
    await writeDatabaseFile(world.root, late, true);
    world.vault.intercept = (r) => (r.method === 'POST' && r.path.includes(`${late}/ro`) ? { status: 503, body: { errors: ['Vault is sealed'] } } : undefined);
    const run = await cli(world.root, ['apply', '--auto-approve'], world.env).finally(() => (world.vault.intercept = undefined));
    expect(run.code).toBe(1);
    expect(problem(run)).toMatch(new RegExp(`^Apply failed at: create login role ${late}_ro.*\\n {2}Vault at .* is sealed or on standby \\(HTTP 503\\) while writing secret/platon/rds/${instance}/${late}/ro`, 'm'));
    await expectConverges(world.root, world.env);
    const writes = (key: string) => world.vault.kv.written.filter((w) => w.key.endsWith(key)).length;
    expect([writes(`${late}/rw`), writes(`${late}/ro`)]).toEqual([1, 1]);
  });
});

describe('AWS throttling and access denied (the real SDK against an HTTP double of RDS and EC2)', () => {
  // The SDK reads credentials and endpoints from the process environment, not the CLI's env: set
  // them for this file's process (vitest runs each file in a process of its own) while these run.
  const awsCli = (argv: string[]): Promise<Run> => cli(root, argv, env);
  const saved = { ...process.env };
  let aws: AwsDouble;
  let vault: VaultDouble;
  let root: string;
  let env: Record<string, string>;
  const instance = `flta-${prefix.slice(-6)}`;
  const group = 'sg-0123456789abcdef0';
  const shop = `${prefix}_a_shop`;

  beforeAll(async () => {
    const server = new URL(adminUrl());
    aws = await AwsDouble.start({ identifier: instance, host: server.hostname, port: Number(server.port), groupId: group });
    vault = await VaultDouble.start();
    root = await writeVaultRepo({ instance, vaultAddress: vault.address, adminUrl: adminUrl(), databases: [], awsSecurityGroup: group });
    await writeDatabaseFile(root, shop, true);
    env = { PLATON_DATABASE_URL: adminUrl(), VAULT_TOKEN: vault.issueToken(), AWS_MAX_ATTEMPTS: '2', ...aws.env };
    Object.assign(process.env, aws.env);
  });
  afterAll(async () => {
    for (const key of Object.keys(aws.env)) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
    await aws.stop();
    await vault.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('discovery throttled past the retries: apply exits 1 in one line, nothing is created', async () => {
    aws.fault = (action) => (action === 'DescribeDBInstances' ? 'throttle' : undefined);
    const run = await awsCli(['apply', '--auto-approve']);
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `error: AWS throttled rds:DescribeDBInstances on RDS instance ${instance} and still refused after 2 attempts\nhint: run again in a few minutes; AWS_MAX_ATTEMPTS raises the number of attempts\n`,
    );
    expect(aws.calls.filter((c) => c === 'DescribeDBInstances')).toHaveLength(2);
    expect(await databaseExists(shop)).toBe(false);
  });

  it('listing the allowlist denied: plan exits 1 naming the IAM action', async () => {
    aws.fault = (action) => (action === 'DescribeSecurityGroupRules' ? 'deny' : undefined);
    const run = await awsCli(['plan']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(new RegExp(`^error: AWS denied ec2:DescribeSecurityGroupRules on security groups ${group}\\nhint: the applier's IAM role needs ec2:DescribeSecurityGroupRules`));
  });

  it('adding a rule denied: apply stops at that first step (exit 1), before any database exists', async () => {
    aws.fault = (action) => (action === 'AuthorizeSecurityGroupIngress' ? 'deny' : undefined);
    const run = await awsCli(['apply', '--auto-approve']);
    expect(run.code).toBe(1);
    expect(problem(run)).toMatch(new RegExp(`^Apply failed at: allow 198\\.51\\.100\\.0/24 .*\\n {2}AWS denied ec2:AuthorizeSecurityGroupIngress on security group ${group}\\n0 changes applied`, 'm'));
    expect(await databaseExists(shop)).toBe(false);
  });

  it('throttled once: the SDK retries and the apply completes; the plan is then empty', async () => {
    let throttled = 0;
    aws.fault = (action) => (action === 'AuthorizeSecurityGroupIngress' && throttled++ === 0 ? 'throttle' : undefined);
    const run = await awsCli(['apply', '--auto-approve']);
    expect(run.code, run.out + run.err).toBe(0);
    expect(throttled).toBeGreaterThanOrEqual(2);
    expect(aws.rules.map((r) => r.cidr)).toEqual(['198.51.100.0/24']);
    aws.fault = undefined;
    expect((await awsCli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('GitHub down: the apply result stands (exit 0); the comment step warns and exits 0', async () => {
    await writeDatabaseFile(root, `${prefix}_a_more`, false);
    const applied = await awsCli(['apply', '--auto-approve', '--result-file', join(root, 'result.json')]);
    expect(applied.code).toBe(0);
    const github = await startDownGitHub();
    try {
      for (const api of [github.url, await closedPortUrl()]) {
        const run = await cli(root, ['report-apply', '--result', join(root, 'result.json'), '--pr', '7'], { GITHUB_TOKEN: 'ghp_test', GITHUB_REPOSITORY: 'platon/databases', GITHUB_API_URL: api });
        expect(run.code, `${api}: ${run.out}${run.err}`).toBe(0);
        expect(run.err.trim().split('\n'), api).toHaveLength(1);
        expect(run.err, api).toMatch(/^warning: /);
      }
    } finally {
      await github.stop();
    }
  });
});

const databaseExists = (name: string) =>
  withClient(adminUrl(), async (c) => ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0);

/** A GitHub API that answers every request 503. */
async function startDownGitHub(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"Service Unavailable"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A local address nothing listens on (a port just given back), for "connection refused". */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
