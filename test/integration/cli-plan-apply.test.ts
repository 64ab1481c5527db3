/**
 * `platon-db plan` and `apply` through the CLI, in-process, against the test server (as
 * PLATON_DATABASE_URL, the RDS-like admin) with a temporary repository.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { urlConnector } from '../../src/adapters/postgres/connector.js';
import { withApplyLock } from '../../src/apply/lock.js';
import { adminUrl } from '../support/postgres.js';
import { cli, tempRepository, withoutLockWait } from '../support/cli.js';
import { writeLocalRepo } from '../support/local-repo.js';
import { runCli } from '../support/run-cli.js';

function database(name: string, extra = ''): string {
  return `# yaml-language-server: $schema=../schema/database.schema.json
name: ${name}
team: cli-team
project: CLI test
contact: cli@example.org
users:
  readOnly: true
extensions: [citext]
${extra}`;
}

const repo = tempRepository;
const run = cli;

const exists = async (name: string) => {
  const client = await urlConnector(adminUrl()).connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
};

let root: string;
beforeAll(() => {
  root = repo({ 'databases/cli_shop.yaml': database('cli_shop') });
});

describe('platon-db plan / apply', () => {
  it('plans changes and exits 2 with --detailed-exitcode', async () => {
    const r = await run(['plan', '--root', root, '--instance', 'local', '--detailed-exitcode']);
    expect(r.err).toBe('');
    expect(r.code).toBe(2);
    expect(r.out).toContain('+ create database cli_shop owned by cli_shop_owner');
    expect(r.out).toContain('CREATE DATABASE "cli_shop" OWNER "cli_shop_owner"');
    expect(r.out).not.toMatch(/\x1b\[/);
  });

  it('plans as JSON and markdown', async () => {
    const json = JSON.parse((await run(['plan', '--root', root, '--instance', 'local', '--format', 'json'])).out);
    expect(json.formatVersion).toBe('platon-db.plan.v1');
    expect(json.changes.some((c: { kind: string }) => c.kind === 'create-database')).toBe(true);
    const md = await run(['plan', '--root', root, '--instance', 'local', '--format', 'markdown']);
    expect(md.out).toContain('<details>');
  });

  it('refuses to apply without --auto-approve when nobody can confirm, and applies nothing', async () => {
    const r = await run(['apply', '--root', root, '--instance', 'local']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--auto-approve');
    expect(await exists('cli_shop')).toBe(false);
  });

  it('applies with --auto-approve, then plans empty with exit 0', async () => {
    const r = await run(['apply', '--root', root, '--instance', 'local', '--auto-approve']);
    expect(withoutLockWait(r.err)).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Apply complete: \d+ changes applied to instance local/);
    expect(r.out).toContain('cli_shop_rw: file:.platon/secrets/local/cli_shop/rw.json');
    const again = await run(['plan', '--root', root, '--instance', 'local', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('No changes.');
    const applyAgain = await run(['apply', '--root', root, '--instance', 'local', '--auto-approve']);
    expect(applyAgain.code).toBe(0);
  });

  it('touches nothing when a file is invalid, and says where', async () => {
    const bad = repo({ 'databases/cli_bad.yaml': database('cli_bad', 'connectionLimit: 100000\n') });
    for (const command of ['plan', 'apply']) {
      const r = await run([command, '--root', bad, '--instance', 'local', '--auto-approve'].slice(0, command === 'plan' ? 5 : 6));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/databases\/cli_bad\.yaml:\d+:\d+/);
      expect(r.err).toContain('Nothing was planned or applied');
    }
    expect(await exists('cli_bad')).toBe(false);
  });

  it('reports an unreachable server in one line, without the password', async () => {
    const url = 'postgresql://platon_admin:TopSecretAdminPw1@127.0.0.1:1/postgres';
    for (const command of ['plan', 'apply']) {
      const r = await run([command, '--root', root, '--instance', 'local', '--auto-approve'].slice(0, command === 'plan' ? 5 : 6), { PLATON_DATABASE_URL: url });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^error: cannot read instance local \(postgresql:\/\/platon_admin@127\.0\.0\.1:1\/postgres\): /);
      expect(r.err + r.out).not.toContain('TopSecretAdminPw1');
      expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });

  it('waits for another apply on the same instance and gives up with a clear message', async () => {
    // An instance name of its own: the lock is per instance name, and other test files apply to
    // "local" on the same server at the same time.
    const instance = `lockwait-${randomBytes(3).toString('hex')}`;
    const locked = await writeLocalRepo(instance, [{ name: `cli_lockwait_${randomBytes(3).toString('hex')}` }]);
    let result: Awaited<ReturnType<typeof run>> | undefined;
    await withApplyLock(urlConnector(adminUrl()), { instance, timeoutMs: 0 }, async () => {
      result = await run(['apply', '--root', locked, '--instance', instance, '--auto-approve', '--lock-timeout', '1']);
    });
    expect(result?.code).toBe(1);
    expect(result?.err).toContain(`another platon-db run is applying to instance ${instance}; waiting up to 1 s`);
    expect(result?.err).toContain(`error: another platon-db run holds the apply lock on instance ${instance}; gave up after 1 s`);
  });

  it('without a connection for the real instance, points a team at the local rehearsal', async () => {
    const r = await runCli(['plan'], { env: {} });
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: no connection for instance shared-pg15');
    expect(r.err).toContain('add --instance local');
  });

  it('calls a bad option a usage error (exit 2)', async () => {
    const r = await run(['plan', '--root', root, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('xml');
  });
});
