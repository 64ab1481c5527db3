/**
 * Secret hygiene (issue 7, item 6), extending vault-cli.test.ts (validate, plan, apply, rotate) to
 * every command: verify, local-run, audit, report, import, upgrade-check, catalog and the GitHub
 * steps (dry runs), in every format, also failing, with what they write to files. Nothing they
 * print or write may hold a password of any version, a credentials URI, the Vault token, the
 * admin's password or a SCRAM verifier. A guard fails when a command is added without being
 * listed here. Last, the server's statement log (log_statement = all for the applier's role)
 * during apply and rotate holds verifiers, never a plaintext password.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { adminUrl, superuserUrl, uniquePrefix, withClient } from '../support/postgres.js';
import { loggedAdminUrl, serverLogThrough } from '../support/server-log.js';
import { leakedSecrets, storedVerifierParts } from '../support/secret-search.js';
import { vaultWorld, writeDatabaseFile, type VaultWorld } from '../support/vault-repo.js';

const prefix = uniquePrefix(import.meta.url);
const instance = `hyg-${prefix.slice(-6)}`;
const shop = `${prefix}_shop`;
const out = mkdtempSync(join(tmpdir(), 'platon-db-hygiene-'));
/** Everything every command printed or wrote. */
const transcript: string[] = [];
/** The commands run, for the completeness guard. */
const ran = new Set<string>();
let world: VaultWorld;

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; text: string }> {
  let text = '';
  const io = { stdout: (t: string) => void (text += t), stderr: (t: string) => void (text += t), isTty: false, cwd: world.root, env: { ...world.env, ...env } };
  const code = await main(argv, io);
  transcript.push(text);
  ran.add(argv[0]!);
  return { code, text };
}

/** A file a command wrote, added to the transcript. */
const wrote = (file: string): string => {
  const text = readFileSync(file, 'utf8');
  transcript.push(text);
  return text;
};

beforeAll(async () => {
  world = await vaultWorld(prefix, instance);
  // audit reads git history: the repository's files as one commit.
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: world.root, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Team', GIT_AUTHOR_EMAIL: 'team@example.org', GIT_COMMITTER_NAME: 'Team', GIT_COMMITTER_EMAIL: 'team@example.org' } });
  git('init', '-q', '-b', 'main');
  git('add', 'databases', 'instances');
  git('commit', '-q', '-m', 'Order shop and blog');
  const applied = await cli(['apply', '--auto-approve', '--result-file', join(out, 'result.json')]);
  if (applied.code !== 0) throw new Error(applied.text);
  expect((await cli(['rotate', shop])).code).toBe(0);
  expect((await cli(['rotate', shop, '--user', 'ro'])).code).toBe(0);
});
afterAll(async () => {
  await world.close();
  await rm(out, { recursive: true, force: true });
});

describe('every command, every format, nothing secret', () => {
  it('validate, plan and apply in every format', async () => {
    for (const format of ['text', 'github', 'json']) expect((await cli(['validate', '--format', format])).code).toBe(0);
    for (const format of ['text', 'markdown', 'json']) expect((await cli(['plan', '--format', format])).code).toBe(0);
    writeFileSync(join(out, 'plan.md'), (await cli(['plan', '--format', 'markdown'])).text);
    await writeDatabaseFile(world.root, `${prefix}_more`, true);
    expect((await cli(['apply', '--auto-approve', '--result-file', join(out, 'result-more.json')])).code).toBe(0);
    wrote(join(out, 'result.json'));
    wrote(join(out, 'result-more.json'));
  });

  it('verify in every format', async () => {
    for (const format of ['text', 'json']) expect((await cli(['verify', '--format', format, '--database', shop])).code).toBe(0);
  });

  it('local-run (the whole main job) on the same instance', async () => {
    expect((await cli(['local-run', '--instance', instance])).code).toBe(0);
  });

  it('audit in every format', async () => {
    for (const format of ['text', 'markdown', 'json']) expect((await cli(['audit', '--format', format, '--main', 'main'])).code).toBe(0);
  });

  it('report in every format, and the HTML file it writes', async () => {
    for (const format of ['text', 'markdown', 'json']) expect((await cli(['report', '--format', format])).code).toBe(0);
    expect((await cli(['report', '--format', 'html', '--out', join(out, 'report.html')])).code).toBe(0);
    wrote(join(out, 'report.html'));
  });

  it('import of a database made by hand, upgrade-check and catalog', async () => {
    const hand = `${prefix}_hand`;
    const id = pg.escapeIdentifier;
    await withClient(adminUrl(), async (c) => {
      await c.query(`CREATE ROLE ${id(`${hand}_owner`)} NOLOGIN`);
      await c.query(`GRANT ${id(`${hand}_owner`)} TO CURRENT_USER`);
      await c.query(`CREATE ROLE ${id(`${hand}_rw`)} LOGIN PASSWORD 'HandMadeSecret-0042' IN ROLE ${id(`${hand}_owner`)}`);
      await c.query(`CREATE DATABASE ${id(hand)} OWNER ${id(`${hand}_owner`)}`);
    });
    const imported = await cli(['import', hand, '--rw', `${hand}_rw`, '--team', 'hand-team', '--project', 'Hand', '--contact', 'hand@example.org']);
    expect(imported.code, imported.text).toBe(0);
    wrote(join(world.root, 'databases', `${hand}.yaml`));
    for (const format of ['text', 'json']) expect([0, 1]).toContain((await cli(['upgrade-check', '--to', '16', '--format', format])).code);
    const catalog = await cli(['catalog', '--from-live', '--out', join(out, 'catalog.json')]);
    expect(catalog.code, catalog.text).toBe(0);
    wrote(join(out, 'catalog.json'));
  });

  it('the GitHub steps (dry runs), with the plan, the apply result and a failed plan log', async () => {
    world.vault.sealed = true;
    const failed = await cli(['plan', '--format', 'markdown']);
    world.vault.sealed = false;
    expect(failed.code).toBe(1);
    writeFileSync(join(out, 'plan-failed.log'), failed.text);
    const github = { GITHUB_REPOSITORY: 'platon/databases', GITHUB_TOKEN: 'ghp_NotARealTokenButSecret0042' };
    expect((await cli(['pr-comment', '--plan', join(out, 'plan.md'), '--exit-code', '2', '--dry-run', '--pr', '7'], github)).code).toBe(0);
    expect((await cli(['pr-comment', '--plan', join(out, 'missing.md'), '--exit-code', '1', '--log', join(out, 'plan-failed.log'), '--dry-run', '--pr', '7'], github)).code).toBe(0);
    expect((await cli(['report-apply', '--result', join(out, 'result.json'), '--dry-run', '--pr', '7'], github)).code).toBe(0);
    expect((await cli(['drift-report', '--instance', instance, '--plan', join(out, 'plan.md'), '--exit-code', '2', '--dry-run'], github)).code).toBe(0);
    transcript.push(''); // the GitHub token is searched for below
  });

  it('failures: Vault down, a wrong admin password, an unreachable server', async () => {
    const wrong = new URL(adminUrl());
    wrong.password = 'Wrong-Admin-Password-0042';
    await world.vault.down();
    try {
      for (const argv of [['plan'], ['apply', '--auto-approve'], ['rotate', shop]]) expect((await cli(argv)).code).toBe(1);
    } finally {
      await world.vault.up();
    }
    for (const argv of [['plan'], ['apply', '--auto-approve'], ['verify'], ['report'], ['audit', '--main', 'main'], ['rotate', shop]]) {
      expect((await cli(argv, { PLATON_DATABASE_URL: wrong.href })).code, argv[0]).toBe(1);
    }
    expect((await cli(['verify'], { PLATON_DATABASE_URL: 'postgresql://platon_admin:Unreachable-Secret-0042@127.0.0.1:1/postgres' })).code).toBe(1);
    // move copies a database between instances; here it has nowhere to go and only says why.
    expect((await cli(['move', shop, '--to', 'elsewhere'])).code).not.toBe(0);
  });

  it('holds no password of any version, no URI, no token, no admin password, in any encoding, and no verifier', () => {
    const everything = transcript.join('\n');
    const written = world.vault.kv.written.map((w) => w.version.data);
    expect(written.length).toBeGreaterThanOrEqual(7); // 5 users issued, 2 rotations
    const secrets = [
      ...written.map((d) => String(d.password)),
      ...written.map((d) => String(d.uri)),
      world.env.VAULT_TOKEN!,
      decodeURIComponent(new URL(adminUrl()).password),
      'Wrong-Admin-Password-0042',
      'Unreachable-Secret-0042',
      'HandMadeSecret-0042',
      'ghp_NotARealTokenButSecret0042',
    ];
    expect(leakedSecrets(everything, secrets)).toEqual([]);
  });

  it.skipIf(!superuserUrl())('holds none of the verifiers PostgreSQL stored (SIMULATION ONLY: read as superuser)', async () => {
    const stored = await storedVerifierParts(prefix);
    expect(stored.verifiers).toBeGreaterThanOrEqual(5);
    expect(stored.notScram).toBe(0);
    expect(leakedSecrets(transcript.join('\n'), stored.parts)).toEqual([]);
  });

  it('ran every command platon-db has (a new command must be added here)', async () => {
    const help = await cli(['--help']);
    const commands = [...help.text.slice(help.text.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!);
    // local-server runs its own embedded PostgreSQL until Ctrl-C and prints only host and port.
    const notRun = new Set(['help', 'local-server']);
    expect(commands.filter((c) => !ran.has(c) && !notRun.has(c))).toEqual([]);
  });
});

describe.skipIf(!superuserUrl())('the server statement log during apply and rotate', () => {
  let logged: VaultWorld;
  const lp = `${prefix}_l`;

  it('holds the SCRAM verifiers apply and rotate sent, never a plaintext password', async () => {
    const url = await loggedAdminUrl(lp);
    logged = await vaultWorld(lp, `hygl-${prefix.slice(-6)}`);
    const env = { ...logged.env, PLATON_DATABASE_URL: url };
    const run = async (argv: string[]) => {
      let text = '';
      const io = { stdout: (t: string) => void (text += t), stderr: (t: string) => void (text += t), isTty: false, cwd: logged.root, env };
      return { code: await main(argv, io), text };
    };
    const before = await serverLogThrough(url);
    expect((await run(['apply', '--auto-approve'])).code).toBe(0);
    expect((await run(['rotate', `${lp}_shop`])).code).toBe(0);
    const log = (await serverLogThrough(url)).slice(before.length);
    expect(log).toMatch(new RegExp(`CREATE ROLE "${lp}_shop_rw" LOGIN CONNECTION LIMIT \\d+ PASSWORD 'SCRAM-SHA-256\\$4096:`));
    expect(log).toMatch(new RegExp(`ALTER ROLE "${lp}_shop_rw" PASSWORD 'SCRAM-SHA-256\\$4096:`));
    const passwords = logged.vault.kv.written.map((w) => String(w.version.data.password));
    expect(passwords).toHaveLength(4); // shop rw and ro, blog rw, and the rotation
    for (const password of passwords) expect(log.includes(password), 'a plaintext password reached the statement log').toBe(false);
  });

  afterAll(() => logged?.close());
});
