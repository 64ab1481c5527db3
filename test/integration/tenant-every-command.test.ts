/**
 * Issue 13: "Every attack is a test that runs as the team's own login ... and then runs every
 * command that connects into team databases", and "never let one database's problem block the
 * other databases' changes". One repository (an instance name of its own, so its apply lock is
 * its own) with a healthy bystander and one database per attack, each done by that team's own
 * read/write login (its sessions act as `<d>_owner`, the database's owner) with only the rights
 * PostgreSQL 15 gives a database owner (no CREATEDB, no CREATEROLE: as on RDS):
 *
 * - tpl:    ALTER DATABASE ... IS_TEMPLATE true, GRANT CONNECT ... TO PUBLIC (owner may: ALTER DATABASE, GRANT);
 * - conn:   ALTER DATABASE ... ALLOW_CONNECTIONS false (from `postgres`: PostgreSQL refuses it for
 *           the current database) and CONNECTION LIMIT 0: the admin, no superuser, is locked out too;
 * - set:    ALTER DATABASE ... SET role = its owner, statement_timeout = 1, default_transaction_read_only = on;
 * - forge:  COMMENT ON DATABASE with a platon-db marker naming another database's file;
 * - bogus:  COMMENT ON DATABASE with a marker whose state no version knows: a problem the plan
 *           cannot repair (it must not guess), so it stays that database's error;
 * - gone:   DROP DATABASE by its owner (PostgreSQL 15: "can only be executed by the database owner").
 *
 * The bystander's file asks for a change meanwhile. Then every command that connects into team
 * databases runs through the CLI. Exit codes a script relies on (each command's --help):
 * plan 1 (an error in a database's plan), apply 1 naming exactly the database it left out,
 * verify 1 (the template's PUBLIC CONNECT, a problem until the next apply, and the dropped database), report 0,
 * upgrade-check 0 (a database it cannot connect into is "confirm", not "ready"), audit 0, rotate 0, import 0, local-run 1 (its second plan still has that
 * error). The bystander's change is applied by every command that applies, whatever the hostile
 * databases did; a hang would fail the test by its timeout.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { databaseYaml, writeLocalRepo, type DatabaseFile } from '../support/local-repo.js';
import { adminUrl, canConnect, dropPrefixed, uniquePrefix, urlAs, withClient } from '../support/postgres.js';
import { runCli, type CliRun } from '../support/run-cli.js';

const prefix = uniquePrefix(import.meta.url);
const instance = `tec-${prefix.slice(-6)}`;
const bystander = `${prefix}_ok`;
const hostile = {
  tpl: `${prefix}_tpl`,
  conn: `${prefix}_conn`,
  set: `${prefix}_set`,
  forge: `${prefix}_forge`,
  bogus: `${prefix}_bogus`,
  gone: `${prefix}_gone`,
} as const;
const ours = [bystander, ...Object.values(hostile)];
/** Not managed: a database `import` adopts. */
const legacy = `${prefix}_l`;
const env = { PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: 'c0ffee' };
let root: string;
let store: FileSecretStore;

const cli = (...args: string[]) => runCli([...args, '--root', root], { cwd: root, env });
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
const all = (r: CliRun) => r.out + r.err;
/** A JavaScript stack frame: "    at fn (file:line:col)". Users get one line, never this. */
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

async function login(database: string, user: 'rw' | 'ro' = 'rw'): Promise<{ user: string; password: string; database: string }> {
  const stored = await store.read(store.refFor(database, user));
  return { user: stored!.credentials.username, password: stored!.credentials.password, database };
}

/** Runs `sql` as the team's read/write login, on `on` (its own database unless told). */
async function asTeam(database: string, sql: string, on = database): Promise<void> {
  await withClient(urlAs({ ...(await login(database)), database: on }), (c) => c.query(sql));
}

/**
 * Every attack, each as its own team. ALTER DATABASE and COMMENT ON DATABASE run from `postgres`:
 * after the first round, the `set` team's own sessions in its database time out after 1 ms.
 */
async function attack(): Promise<void> {
  const { tpl, conn, set, forge, bogus, gone } = hostile;
  await asTeam(tpl, `ALTER DATABASE ${q(tpl)} IS_TEMPLATE true; GRANT CONNECT ON DATABASE ${q(tpl)} TO PUBLIC`, 'postgres');
  await asTeam(conn, `ALTER DATABASE ${q(conn)} CONNECTION LIMIT 0`, 'postgres');
  await asTeam(conn, `ALTER DATABASE ${q(conn)} ALLOW_CONNECTIONS false`, 'postgres');
  await asTeam(
    set,
    `ALTER DATABASE ${q(set)} SET role = ${q(`${set}_owner`)}; ALTER DATABASE ${q(set)} SET default_transaction_read_only = on; ALTER DATABASE ${q(set)} SET statement_timeout = 1`,
    'postgres',
  );
  await asTeam(forge, `COMMENT ON DATABASE ${q(forge)} IS '{"managedBy":"platon-db","file":"databases/${bystander}.yaml","team":"test-team","commit":"0"}'`, 'postgres');
  await asTeam(bogus, `COMMENT ON DATABASE ${q(bogus)} IS '{"managedBy":"platon-db","file":"databases/${bogus}.yaml","team":"test-team","commit":"0","state":"bogus"}'`, 'postgres');
  await asTeam(gone, `DROP DATABASE ${q(gone)}`, 'postgres');
}

/** The bystander's team asks for more: a real change for the healthy database. */
async function bystanderAsks(file: DatabaseFile): Promise<void> {
  await writeFile(join(root, 'databases', `${bystander}.yaml`), databaseYaml(file));
}

const pgDatabase = async (name: string) =>
  withClient(adminUrl(), async (c) => {
    const { rows } = await c.query<{ t: boolean; c: boolean; l: number; s: string[] | null; comment: string | null; public: boolean }>(
      `SELECT d.datistemplate AS t, d.datallowconn AS c, d.datconnlimit AS l, shobj_description(d.oid, 'pg_database') AS comment,
              (SELECT setconfig FROM pg_db_role_setting WHERE setdatabase = d.oid AND setrole = 0) AS s,
              has_database_privilege('public', d.oid, 'CONNECT') AS public
         FROM pg_database d WHERE d.datname = $1`,
      [name],
    );
    return rows[0];
  });

/** Extensions in `database`, read as the bystander's own login (what the team sees). */
async function extensionsSeenBy(database: string, user: 'rw' | 'ro'): Promise<string[]> {
  return withClient(urlAs(await login(database, user)), async (c) => (await c.query<{ extname: string }>(`SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1`)).rows.map((r) => r.extname));
}

/** The state every repaired hostile database must be back in. */
async function expectRepaired(): Promise<void> {
  expect(await pgDatabase(hostile.tpl)).toMatchObject({ t: false, public: false });
  expect(await pgDatabase(hostile.conn)).toMatchObject({ c: true, l: -1 });
  // `role` is reset (every session would SET ROLE); the team's timeout and read-only default are its own.
  expect((await pgDatabase(hostile.set))?.s?.sort()).toEqual(['default_transaction_read_only=on', 'statement_timeout=1']);
  expect(JSON.parse((await pgDatabase(hostile.forge))!.comment!)).toMatchObject({ managedBy: 'platon-db', file: `databases/${hostile.forge}.yaml` });
  expect(await pgDatabase(hostile.gone)).toBeDefined();
  // The one that cannot be repaired is left exactly as its team made it.
  expect(JSON.parse((await pgDatabase(hostile.bogus))!.comment!)).toMatchObject({ state: 'bogus' });
  for (const database of [hostile.tpl, hostile.conn, hostile.forge, hostile.gone]) expect(await canConnect(await login(database))).toBe(true);
}

beforeAll(async () => {
  root = await writeLocalRepo(instance, ours.map((name) => ({ name, readOnly: false })));
  const applied = await cli('apply', '--auto-approve');
  if (applied.code !== 0) throw new Error(all(applied));
  store = new FileSecretStore({ store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance });
  // audit reads git history beside the instance's markers.
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, env: { ...process.env, GIT_AUTHOR_NAME: 'Team', GIT_AUTHOR_EMAIL: 'team@example.org', GIT_COMMITTER_NAME: 'Team', GIT_COMMITTER_EMAIL: 'team@example.org' } });
  git('init', '-q', '-b', 'main');
  git('add', 'databases', 'instances');
  git('commit', '-q', '-m', 'databases');
  // A database from before platon-db, for import.
  await withClient(adminUrl(), async (c) => {
    await c.query(`CREATE ROLE ${q(`${legacy}_app`)} LOGIN PASSWORD 'legacy-app-password'`);
    await c.query(`GRANT ${q(`${legacy}_app`)} TO CURRENT_USER`);
    await c.query(`CREATE DATABASE ${q(legacy)} OWNER ${q(`${legacy}_app`)}`);
  });
  await attack();
  await bystanderAsks({ name: bystander, readOnly: true, extensions: ['pg_trgm'] });
}, 180_000);

afterAll(() => dropPrefixed(prefix));

/** `platon-db plan --format json`, with this file's databases only (others share the server). */
async function planOfOurs(): Promise<{ run: CliRun; changes: Record<string, string[]>; errors: string[] }> {
  const run = await cli('plan', '--format', 'json');
  const plan = JSON.parse(run.out) as { changes: { kind: string; database: string }[]; errors: { code: string; database: string }[] };
  const changes: Record<string, string[]> = {};
  for (const c of plan.changes.filter((x) => x.database.startsWith(prefix))) (changes[c.database] ??= []).push(c.kind);
  return { run, changes, errors: plan.errors.map((e) => `${e.code} ${e.database}`) };
}

/** The only thing no command may repair: the `bogus` marker, that database's error, nobody else's. */
const ONLY_BOGUS = [`database.marker-state ${hostile.bogus}`];

describe('one team cannot block the others: every command, with every attack live', () => {
  it("plan: the bystander's change, a repair for each hostile database, and an error for the one it may not repair (exit 1: plan errors)", async () => {
    const { run, changes, errors } = await planOfOurs();
    expect(run.code, run.err).toBe(1);
    expect(all(run)).not.toMatch(STACK);
    expect(errors).toEqual(ONLY_BOGUS);
    expect(changes[bystander]).toEqual(expect.arrayContaining(['create-role', 'create-extension']));
    expect(changes[hostile.tpl]).toEqual(expect.arrayContaining(['alter-database', 'revoke-public']));
    expect(changes[hostile.conn]).toContain('alter-database');
    expect(changes[hostile.set]).toContain('alter-database');
    expect(changes[hostile.forge]).toEqual(['set-marker']);
    expect(changes[hostile.gone]).toContain('create-database');
    expect(changes[hostile.bogus]).toBeUndefined();
  });

  it('apply: the bystander and every repair are applied; it names exactly the database it left out, and exits 1', async () => {
    const r = await cli('apply', '--auto-approve');
    expect(r.code, all(r)).toBe(1);
    expect(all(r)).not.toMatch(STACK);
    expect(r.err).toContain(`Not applied to database ${hostile.bogus}: the plan has errors there (above); every other database was applied.`);
    // The bystander's new read-only user logs in and sees the extension its file asked for.
    expect(await extensionsSeenBy(bystander, 'ro')).toEqual(['pg_trgm']);
    await expectRepaired();
  });

  it('a second plan shows only what cannot be fixed: no changes, the one error', async () => {
    const { run, changes, errors } = await planOfOurs();
    expect(run.code).toBe(1);
    expect(changes).toEqual({});
    expect(errors).toEqual(ONLY_BOGUS);
  });

  it('with the attacks done again: verify, report, upgrade-check, audit, rotate and import finish, and name a hostile database where it is a problem', async () => {
    await attack();
    const oldPassword = (await login(bystander)).password;
    const runs = {
      // `gone` included: its team dropped it, and verify reports it as vanished.
      verify: await cli('verify', '--database', ...ours),
      report: await cli('report', '--format', 'json'),
      upgrade: await cli('upgrade-check', '--to', '16'),
      audit: await cli('audit', '--format', 'json'),
      rotate: await cli('rotate', bystander, '--user', 'rw'),
      import: await cli('import', legacy, '--team', 'legacy-team', '--project', 'Legacy', '--contact', 'legacy@example.org'),
    };
    for (const [name, r] of Object.entries(runs)) expect(all(r), name).not.toMatch(STACK);

    // verify: exit 1 for the problems, which are the template's PUBLIC CONNECT and the dropped
    // database, nobody else's.
    expect(runs.verify.code, all(runs.verify)).toBe(1);
    expect(runs.verify.out).toContain(`6 managed databases`);
    const problems = runs.verify.out.split('\n').filter((line) => /^\s*error /.test(line));
    expect(problems).toEqual([
      expect.stringContaining(`database.vanished: managed database ${hostile.gone} is gone`),
      expect.stringContaining(`PUBLIC holds CONNECT on database ${hostile.tpl}`),
    ]);

    // report: exit 0; every database that exists is there, also the one that refuses connections.
    expect(runs.report.code, all(runs.report)).toBe(0);
    const reported = new Map((JSON.parse(runs.report.out) as { databases: { name: string; sizeBytes: number; extensions: string[] }[] }).databases.map((d) => [d.name, d]));
    for (const database of ours.filter((d) => d !== hostile.gone)) expect(reported.get(database)?.sizeBytes, database).toBeGreaterThan(0);
    expect(reported.get(bystander)?.extensions).toEqual(['pg_trgm']);

    // upgrade-check: exit 0 (ready: no extension in use is missing on 16), one line per database;
    // the one whose owner refuses connections is not called ready on the strength of its file.
    expect(runs.upgrade.code, all(runs.upgrade)).toBe(0);
    for (const database of ours.filter((d) => d !== hostile.conn)) expect(runs.upgrade.out).toContain(`${database} (test-team): ready`);
    expect(runs.upgrade.out).toContain(`${hostile.conn} (test-team):\n  confirm: could not connect into ${hostile.conn} to read its installed extensions`);

    // audit: exit 0; every database listed, and the forged comment files nothing under the bystander.
    expect(runs.audit.code, all(runs.audit)).toBe(0);
    const audit = JSON.parse(runs.audit.out) as { databases: { name: string; file: string; live?: { name: string; file: string }[] }[] };
    expect(audit.databases.filter((d) => d.name.startsWith(prefix)).map((d) => d.name).sort()).toEqual([...ours].sort());
    for (const d of audit.databases) for (const object of d.live ?? []) expect(object.file, `${object.name} under ${d.name}`).toBe(d.file);
    expect(audit.databases.find((d) => d.name === bystander)?.live?.map((o) => o.name).sort()).toEqual([bystander, `${bystander}_owner`, `${bystander}_ro`, `${bystander}_rw`]);

    // rotate: exit 0; the bystander's team logs in with the new password only.
    expect(runs.rotate.code, all(runs.rotate)).toBe(0);
    expect(await canConnect(await login(bystander))).toBe(true);
    expect(await canConnect({ user: `${bystander}_rw`, password: oldPassword, database: bystander })).toBe(false);

    // import: exit 0, and the file it wrote adopts the database (local-run below applies it).
    expect(runs.import.code, all(runs.import)).toBe(0);
    expect(runs.import.out).toContain(`Wrote databases/${legacy}.yaml (adopt: true)`);
  });

  it("local-run applies the bystander's next change although another database's plan has an error (exit 1: its second plan is not empty)", async () => {
    await bystanderAsks({ name: bystander, readOnly: true, extensions: ['pg_trgm', 'citext'] });
    const r = await cli('local-run', '--instance', instance);
    expect(all(r)).not.toMatch(STACK);
    expect(r.code, all(r)).toBe(1);
    expect(await extensionsSeenBy(bystander, 'ro')).toEqual(['citext', 'pg_trgm']);
    await expectRepaired();
    expect(r.out).toContain(`state "bogus"`);
  });

  it('the plan after all of it: only the error no command may fix', async () => {
    const { run, changes, errors } = await planOfOurs();
    expect(run.code).toBe(1);
    expect(changes).toEqual({});
    expect(errors).toEqual(ONLY_BOGUS);
  });
});
