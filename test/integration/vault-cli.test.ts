/**
 * No secret ever leaks (issue 4, item 5): validate, plan, apply and rotate run through the CLI
 * in-process (`main(argv, io)`) with every output format, against real PostgreSQL and the Vault
 * double, with a token holding exactly the README's platon-db-apply policy, including failures.
 * Every byte written to stdout and stderr is then searched for every password the store ever held
 * (all versions), every URI, the Vault token, and any SCRAM verifier.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { adminUrl, superuserUrl, uniquePrefix, withClient } from '../support/postgres.js';
import type { VaultDouble } from '../support/vault-double.js';
import { vaultWorld, writeDatabaseFile, type VaultWorld } from '../support/vault-repo.js';
import { leakedSecrets, storedVerifierParts } from '../support/secret-search.js';
import { readmeVaultPolicies } from '../support/readme-vault-policies.js';

const prefix = uniquePrefix(import.meta.url);
const shop = `${prefix}_shop`;
const blog = `${prefix}_blog`;
const instance = `cli-${prefix.slice(-6)}`;

let world: VaultWorld;
let vault: VaultDouble;
let root: string;
let env: Readonly<Record<string, string>>;
/** Everything every command wrote, across the whole file. */
const transcript: string[] = [];

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function cli(...argv: string[]): Promise<Run> {
  const run = await runCli(argv, { cwd: root, env });
  transcript.push(run.out, run.err);
  return run;
}

beforeAll(async () => {
  world = await vaultWorld(prefix, instance);
  ({ vault, root } = world);
  // Every command here runs with exactly the README's platon-db-apply policy, as in production.
  env = { ...world.env, VAULT_TOKEN: vault.issueToken({ policies: [readmeVaultPolicies().apply] }) };
});
afterAll(() => world.close());

describe('the CLI with secrets in Vault', () => {
  it('validates in every format', async () => {
    for (const format of ['text', 'github', 'json']) expect((await cli('validate', '--format', format)).code).toBe(0);
  });

  it('plans in every format, showing secret paths, not values', async () => {
    for (const format of ['text', 'markdown', 'json']) {
      const run = await cli('plan', '--format', format, '--detailed-exitcode');
      expect(run.code).toBe(2);
      expect(run.out).toContain(`platon/rds/${instance}/${shop}/rw`);
    }
  });

  it('applies, and the plan is empty afterwards', async () => {
    const applied = await cli('apply', '--auto-approve');
    expect(applied.err).toBe('');
    expect(applied.code).toBe(0);
    for (const format of ['text', 'markdown', 'json']) expect((await cli('plan', '--format', format, '--detailed-exitcode')).code).toBe(0);
  });

  it('rotates, printing the role, the secret path and the new version', async () => {
    const run = await cli('rotate', shop);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toBe(
      [
        `Rotated the password of role ${shop}_rw on instance ${instance}.`,
        `  secret: secret/platon/rds/${instance}/${shop}/rw (vault), version 2; versions up to 1 stay in the history`,
        `  teams read the latest version: vault kv get -field=uri secret/platon/rds/${instance}/${shop}/rw`,
        '',
      ].join('\n'),
    );
    expect((await cli('rotate', shop, '--user', 'ro', '--instance', instance)).code).toBe(0);
    expect((await cli('rotate', shop)).out).toContain('version 3');
    for (const format of ['text', 'markdown', 'json']) expect((await cli('plan', '--format', format, '--detailed-exitcode')).code).toBe(0);
  });

  it('documents rotate in --help', async () => {
    const run = await cli('rotate', '--help');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Usage: platon-db rotate \[options\] <database>/);
    expect(run.out).toContain('--user <user>');
    expect(run.out).toContain('vault kv get -field=uri');
  });

  it('exits 2 on usage errors, 1 on refusals and failures, each one line', async () => {
    expect((await cli('rotate')).code).toBe(2);
    expect((await cli('rotate', shop, '--user', 'admin')).code).toBe(2);
    expect((await cli('rotate', `${prefix}_none`)).code).toBe(2);
    const ro = await cli('rotate', blog, '--user', 'ro');
    expect(ro).toMatchObject({ code: 2, err: `error: database ${blog} has no read-only user\nhint: databases/${blog}.yaml does not ask for users.readOnly\n` });

    await vault.down();
    const down = await cli('rotate', shop, '--debug');
    await vault.up();
    expect(down.code).toBe(1);
    expect(down.err.split('\n')[0]).toBe(`error: cannot reach Vault at ${vault.address} while checking VAULT_TOKEN: connection refused`);

    vault.sealed = true;
    const sealed = await cli('plan');
    vault.sealed = false;
    expect(sealed.code).toBe(1);
    expect(sealed.err.split('\n')[0]).toMatch(/^error: Vault at .* is sealed or on standby \(HTTP 503\)/);
  });

  it('a Vault policy without patch fails rotate before any password changes, naming the path and capability', async () => {
    const { apply } = readmeVaultPolicies();
    const noPatch = { ...apply, 'secret/metadata/platon/rds/*': apply['secret/metadata/platon/rds/*']!.filter((c) => c !== 'patch') };
    const before = vault.versions('secret', `platon/rds/${instance}/${blog}/rw`).length;
    const token = vault.issueToken({ policies: [noPatch] });
    const run = await runCli(['rotate', blog], { cwd: root, env: { ...env, VAULT_TOKEN: token } });
    transcript.push(run.out, run.err);
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `error: Vault at ${vault.address} denied recording the rotation of secret/platon/rds/${instance}/${blog}/rw: permission denied ` +
        `(the token's policy needs "patch" on secret/metadata/platon/rds/${instance}/${blog}/rw)\n` +
        `hint: add "patch" for secret/metadata/platon/rds/${instance}/${blog}/rw to the Vault policy platon-db logs in with (README, "Credentials in Vault"), or check that the token is still valid\n`,
    );
    expect(vault.versions('secret', `platon/rds/${instance}/${blog}/rw`)).toHaveLength(before);
  });

  it('refuses an unmanaged role', async () => {
    const hand = `${prefix}_hand`;
    const file = await writeDatabaseFile(root, hand, true);
    await withClient(adminUrl(), (c) => c.query(`CREATE ROLE ${hand}_rw LOGIN PASSWORD 'HandMadePassword0042'`));
    try {
      const run = await cli('rotate', hand);
      expect(run.code).toBe(1);
      expect(run.err).toContain(`error: role ${hand}_rw on instance ${instance} is not managed by platon-db`);
      // The plan refuses the hand-made role too, in every format, without its password.
      for (const format of ['text', 'markdown', 'json']) expect((await cli('plan', '--format', format)).code).toBe(1);
    } finally {
      await rm(file);
    }
  });

  it('an apply cut off by Vault reports one line and the next apply completes', async () => {
    const late = `${prefix}_late`;
    await writeDatabaseFile(root, late, false);
    vault.intercept = (r) => (r.method === 'POST' && r.path.includes(late) ? { status: 503, body: { errors: ['Vault is sealed'] } } : undefined);
    const failed = await cli('apply', '--auto-approve');
    vault.intercept = undefined;
    expect(failed.code).toBe(1);
    expect(failed.out + failed.err).toMatch(/is sealed or on standby \(HTTP 503\) while writing secret\/platon/);
    expect((await cli('apply', '--auto-approve')).code).toBe(0);
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
  });
});

describe('nothing secret in any output', () => {
  it('holds no password (any version), URI or token, in any encoding, and no SCRAM verifier', async () => {
    const everything = transcript.join('\n');
    const written = vault.kv.written.map((w) => w.version.data);
    const passwords = written.map((d) => String(d.password));
    expect(passwords.length).toBe(7); // 4 users issued, 3 rotations: every version
    const secrets = [...passwords, ...written.map((d) => String(d.uri)), env.VAULT_TOKEN!, 'HandMadePassword0042'];
    expect(leakedSecrets(everything, secrets)).toEqual([]);
  });

  it.skipIf(!superuserUrl())('holds none of the verifiers PostgreSQL stored (SIMULATION ONLY: read as superuser)', async () => {
    const stored = await storedVerifierParts(prefix);
    expect(stored.verifiers).toBeGreaterThanOrEqual(4);
    expect(stored.notScram).toBe(0);
    expect(leakedSecrets(transcript.join('\n'), stored.parts)).toEqual([]);
  });
});
