/**
 * Faults (issue 7, item 3), each through the CLI: one clear message, the documented exit code
 * (README, "Exit codes"), and the next run converges (apply completes, the plan is empty, every
 * secret was written once).
 * - The database connection cut during an apply (pg_terminate_backend of the applier's sessions,
 *   from a second admin: SIMULATION of a failover or an operator), and of the lock session alone.
 * - Vault down (connection refused) and answering 503, before and during an apply.
 * - AWS throttling (past the SDK's retries, and once, which a retry absorbs) and access denied,
 *   on discovery, on listing the allowlist and on adding a rule: the real SDK against an HTTP
 *   double of RDS and EC2.
 * - GitHub down: the apply succeeds; the comment step warns and exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { bootstrapRdsLike } from '../../src/adapters/postgres/bootstrap-rds-like.js';
import { generatePassword } from '../../src/adapters/secrets/password.js';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { manyDatabases, writeLocalRepo } from '../support/local-repo.js';
import { canConnect, dropPrefixed, superuserUrl, uniquePrefix, urlAs, withClient } from '../support/postgres.js';

const prefix = uniquePrefix(import.meta.url);
afterAll(() => dropPrefixed(prefix));

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function cli(root: string, argv: string[], env: Record<string, string>): Promise<Run> {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), isTty: false, cwd: root, env: { PLATON_COMMIT: 'c0ffee', ...env } };
  return { code: await main([...argv, '--root', root], io), out, err };
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
    const root = await writeLocalRepo(`cut-${prefix.slice(-6)}`, manyDatabases(names, 20));
    const { run, cut } = await cutDuring(root, names, 3, 'true');
    expect(cut).toBeGreaterThanOrEqual(2); // the lock session and the one applying
    expect(run.code).toBe(1);
    expect(problem(run)).toMatch(/^Apply failed at: .+\n {2}(terminating connection due to administrator command|Connection terminated unexpectedly|.*not queryable.*)\n\d+ changes applied, \d+ not applied\./m);
    expect(run.err).toBe('');
    await expectConverges(root, { PLATON_DATABASE_URL: admin2 });
  });

  it('the lock session alone terminated: the apply stops before its next step, exit 1; the next apply converges', async () => {
    const names = `${prefix}_lock`;
    const instance = `lock-${prefix.slice(-6)}`;
    const root = await writeLocalRepo(instance, manyDatabases(names, 20));
    const { run, cut } = await cutDuring(root, names, 2, "query LIKE '%pg_try_advisory_lock%'");
    expect(cut).toBe(1);
    expect(run.code, run.out).toBe(1);
    expect(problem(run)).toContain(`the apply lock on instance ${instance} was lost`);
    await expectConverges(root, { PLATON_DATABASE_URL: admin2 });
    const store = new FileSecretStore({ store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance });
    for (const db of manyDatabases(names, 20)) {
      const versions = await store.versions(store.refFor(db.name, 'rw'));
      expect(versions).toHaveLength(1);
      expect(await canConnect({ user: `${db.name}_rw`, password: versions[0]!.credentials.password, database: db.name })).toBe(true);
    }
  });
});
