/**
 * Issue 13, items 4-6: what a team can do to its own database with the rights PostgreSQL 15 gives a
 * database owner (no CREATEDB, no CREATEROLE: as on RDS), done here as the team's own login
 * (`<d>_rw`, whose sessions act as `<d>_owner`), then planned, applied and verified.
 *
 * PostgreSQL facts relied on (checked as that login on the test server, PostgreSQL 15):
 * - ALTER DATABASE's IS_TEMPLATE, ALLOW_CONNECTIONS (not for the database one is connected to),
 *   CONNECTION LIMIT and SET of user-settable parameters need only ownership of the database;
 * - COMMENT ON DATABASE needs ownership; COMMENT ON ROLE needs CREATEROLE (PostgreSQL 15 docs,
 *   COMMENT: "roles ... you must have CREATEROLE privilege"), which no team role has;
 * - the owner may DROP DATABASE (when no one is connected); a template database may not be dropped.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../support/applier.js';
import { spec } from '../support/states.js';
import { adminUrl, dropPrefixed, uniquePrefix } from '../support/postgres.js';
import { runCli } from '../support/run-cli.js';
import { databaseYaml, storedPassword, writeLocalRepo } from '../support/local-repo.js';
import type { DatabaseSpec } from '../../src/model/spec.js';

const prefix = uniquePrefix(import.meta.url);
const db = (name: string): DatabaseSpec => spec(`${prefix}_${name}`);
let h: Harness;

beforeAll(async () => {
  h = await harness({ scope: prefix });
});
afterAll(() => dropPrefixed(prefix));

/** Runs `sql` as the team's read/write login, on its own database or on `postgres`. */
async function asTeam(s: DatabaseSpec, sql: string, on: string = s.name): Promise<void> {
  const client: pg.Client = await h.connectAs(`${s.name}_rw`, on, await h.passwordOf(s.name, 'rw'));
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function created(s: DatabaseSpec): Promise<void> {
  const { result } = await h.apply([s]);
  expect(result.failed).toBeUndefined();
}

const pgDatabase = async (name: string) =>
  (await h.admin<{ t: boolean; c: boolean; l: number; s: string[] | null; comment: string | null }>(
    `SELECT d.datistemplate AS t, d.datallowconn AS c, d.datconnlimit AS l, shobj_description(d.oid, 'pg_database') AS comment,
            (SELECT setconfig FROM pg_db_role_setting WHERE setdatabase = d.oid AND setrole = 0) AS s
       FROM pg_database d WHERE d.datname = '${name}'`,
  ))[0];

/**
 * One database `<prefix>_<tag>` applied through the CLI in a repository of its own, then `sql` run
 * as its team's read/write login (on `on`, its own database by default). Returns what a CLI run
 * against that repository needs.
 */
async function appliedThenAsTeam(tag: string, sql: string, on?: string) {
  const s = { name: `${prefix}_${tag}` };
  const instance = `td${tag.slice(0, 2)}-${prefix.slice(-6)}`;
  const root = await writeLocalRepo(instance, [s]);
  const env = { PLATON_DATABASE_URL: adminUrl() };
  expect((await runCli(['apply', '--auto-approve', '--root', root], { cwd: root, env })).code).toBe(0);
  const client = await h.connectAs(`${s.name}_rw`, on ?? s.name, await storedPassword(root, instance, s.name));
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
  const cli = (...args: string[]) => runCli([...args, '--root', root], { cwd: root, env });
  return { name: s.name, cli };
}

describe('a team hiding its database with ALTER DATABASE (item 4)', () => {
  it('IS_TEMPLATE true plus PUBLIC CONNECT: the plan corrects the database instead of wanting to create it; apply puts it back', async () => {
    const s = db('tpl');
    await created(s);
    await asTeam(s, `ALTER DATABASE ${s.name} IS_TEMPLATE true; GRANT CONNECT ON DATABASE ${s.name} TO PUBLIC`);
    const plan = await h.plan([s]);
    const kinds = plan.changes.map((c) => c.change.kind);
    expect(kinds).not.toContain('create-database');
    expect(plan.changes.find((c) => c.change.kind === 'alter-database')?.statements.map((x) => x.sql)).toEqual([
      `ALTER DATABASE "${s.name}" WITH IS_TEMPLATE false`,
    ]);
    expect(kinds).toContain('revoke-public');
    const { result } = await h.apply([s]);
    expect(result.failed).toBeUndefined();
    expect(await pgDatabase(s.name)).toMatchObject({ t: false });
    expect((await h.plan([s])).changes).toEqual([]);
  });

  it('verify does not skip a managed database that is a template: PUBLIC CONNECT on it is a problem (exit 1)', async () => {
    const name = `${prefix}_vtpl`;
    const { cli } = await appliedThenAsTeam('vtpl', `ALTER DATABASE ${name} IS_TEMPLATE true; GRANT CONNECT ON DATABASE ${name} TO PUBLIC`);
    const verify = await cli('verify', '--database', name);
    expect(verify.code).toBe(1);
    expect(verify.out).toContain(name);
    expect(verify.out).toMatch(/PUBLIC/);
  });

  it('the capacity report still shows a database its team made a template, with its size', async () => {
    const name = `${prefix}_rtpl`;
    const { cli } = await appliedThenAsTeam('rtpl', `ALTER DATABASE ${name} IS_TEMPLATE true`);
    const report = await cli('report', '--format', 'json');
    expect(report.code, report.err).toBe(0);
    const listed = (JSON.parse(report.out) as { databases: { name: string; sizeBytes?: number | null }[] }).databases.find((d) => d.name === name);
    expect(listed).toBeDefined();
    expect(listed!.sizeBytes).toBeGreaterThan(0);
  });

  it('ALLOW_CONNECTIONS false (set from postgres) and CONNECTION LIMIT 0 lock the admin out too; the plan shows both and apply lifts them', async () => {
    const s = db('conn');
    await created(s);
    await asTeam(s, `ALTER DATABASE ${s.name} CONNECTION LIMIT 0`);
    await asTeam(s, `ALTER DATABASE ${s.name} ALLOW_CONNECTIONS false`, 'postgres');
    // The admin is no superuser (RDS): both refuse it like anyone else.
    await expect(h.admin('SELECT 1', s.name)).rejects.toThrow();
    const plan = await h.plan([s]);
    const alter = plan.changes.find((c) => c.change.kind === 'alter-database');
    expect(alter?.statements.map((x) => x.sql)).toEqual([`ALTER DATABASE "${s.name}" WITH ALLOW_CONNECTIONS true CONNECTION LIMIT -1`]);
    expect(alter?.summary).toContain('connection limit -1 (was 0)');
    const { result } = await h.apply([s]);
    expect(result.failed).toBeUndefined();
    expect(await pgDatabase(s.name)).toMatchObject({ c: true, l: -1 });
    expect(await h.admin('SELECT 1 AS one', s.name)).toEqual([{ one: 1 }]);
    expect((await h.plan([s])).changes).toEqual([]);
  });

  it("database settings: `role` is reset (it would make every session SET ROLE), the team's statement_timeout and search_path are kept and reported", async () => {
    const s = db('set');
    await created(s);
    await asTeam(s, `ALTER DATABASE ${s.name} SET role = '${s.name}_owner'; ALTER DATABASE ${s.name} SET statement_timeout = '1ms'; ALTER DATABASE ${s.name} SET search_path = public, pg_catalog`);
    const plan = await h.plan([s]);
    expect(plan.changes.find((c) => c.change.kind === 'alter-database')?.statements.map((x) => x.sql)).toEqual([`ALTER DATABASE "${s.name}" RESET "role"`]);
    const warnings = plan.notes.filter((n) => n.kind === 'warning').map((n) => (n.kind === 'warning' ? n.message : ''));
    expect(warnings.filter((m) => m.includes('sets search_path') || m.includes('sets statement_timeout'))).toHaveLength(2);
    const { result } = await h.apply([s]);
    expect(result.failed).toBeUndefined();
    expect((await pgDatabase(s.name))?.s?.sort()).toEqual(['search_path=public, pg_catalog', 'statement_timeout=1ms']);
    expect((await h.plan([s])).changes).toEqual([]);
  });
});

describe('a forged ownership marker (item 5)', () => {
  it('the team cannot write the marker ownership is read from: COMMENT ON ROLE needs CREATEROLE on PostgreSQL 15', async () => {
    const s = db('role');
    await created(s);
    await expect(asTeam(s, `COMMENT ON ROLE ${s.name}_owner IS '{"managedBy":"platon-db","file":"databases/other.yaml"}'`)).rejects.toMatchObject({ code: '42501' });
  });

  it.each([
    ['naming another team\'s file', (other: string) => `{"managedBy":"platon-db","file":"databases/${other}.yaml","team":"x","commit":"0"}`, /names databases\/.*_other\.yaml/],
    ['that is not valid JSON', () => '{"managedBy":"platon-db",', /not a platon-db marker/],
    ['that is gone', () => null, /not a platon-db marker/],
  ])('a database comment %s is repaired ("repair marker"), and the database stays ours', async (_label, forged, why) => {
    const s = db(`f${Math.random().toString(16).slice(2, 8)}`);
    const other = db('other');
    await created(s);
    const comment = forged(other.name);
    await asTeam(s, `COMMENT ON DATABASE ${s.name} IS ${comment === null ? 'NULL' : `'${comment}'`}`);
    const plan = await h.plan([s]);
    expect(plan.errors).toEqual([]);
    const repair = plan.changes.filter((c) => c.summary.startsWith('repair marker'));
    expect(repair).toHaveLength(1);
    expect(repair[0]!.summary).toMatch(why);
    const { result } = await h.apply([s]);
    expect(result.failed).toBeUndefined();
    expect(JSON.parse((await pgDatabase(s.name))!.comment!)).toMatchObject({ managedBy: 'platon-db', file: s.file });
    expect((await h.plan([s])).changes).toEqual([]);
  });

  it('a forged "retired" on an active database is rewritten: logins keep working', async () => {
    const s = db('ret');
    await created(s);
    await asTeam(s, `COMMENT ON DATABASE ${s.name} IS '{"managedBy":"platon-db","file":"${s.file}","team":"${s.team}","commit":"0","state":"retired"}'`);
    const { plan, result } = await h.apply([s]);
    expect(result.failed).toBeUndefined();
    expect(plan.changes.map((c) => c.change.kind)).toEqual(['set-marker']);
    expect(JSON.parse((await pgDatabase(s.name))!.comment!).state).toBeUndefined();
    await asTeam(s, 'SELECT 1');
  });

  it('a marker state this version does not know ("bogus", or a future one) is never read as retired: nothing there is changed or dropped; the other databases still apply', async () => {
    const s = db('bogus');
    const bystander = db('bystander');
    await created(s);
    await asTeam(s, `COMMENT ON DATABASE ${s.name} IS '{"managedBy":"platon-db","file":"${s.file}","team":"${s.team}","commit":"0","state":"bogus"}'`);
    const { plan, result } = await h.apply([{ ...s, state: 'dropped' }, bystander], { allowDestroy: true });
    expect(plan.errors.map((e) => [e.database, e.code])).toEqual([[s.name, 'database.marker-state']]);
    expect(plan.errors[0]!.message).toContain('"bogus"');
    expect(result.failed).toBeUndefined();
    expect(result.applied.some((c) => c.change.database === s.name)).toBe(false);
    expect(await pgDatabase(s.name)).toBeDefined();
    // The bystander is created although another database's plan has an error.
    expect(await pgDatabase(bystander.name)).toBeDefined();
  });

  it('platon-db apply applies the other databases, names the one left out, and exits 1', async () => {
    const a = { name: `${prefix}_cli_a` };
    const b = { name: `${prefix}_cli_b` };
    const instance = `tdc-${prefix.slice(-6)}`;
    const root = await writeLocalRepo(instance, [a]);
    const env = { PLATON_DATABASE_URL: adminUrl() };
    expect((await runCli(['apply', '--auto-approve', '--root', root], { cwd: root, env })).code).toBe(0);
    const team = await h.connectAs(`${a.name}_rw`, a.name, await storedPassword(root, instance, a.name));
    await team.query(`COMMENT ON DATABASE ${a.name} IS '{"managedBy":"platon-db","file":"databases/${a.name}.yaml","state":"bogus"}'`);
    await team.end();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${root}/databases/${b.name}.yaml`, databaseYaml(b));
    const run = await runCli(['apply', '--auto-approve', '--root', root], { cwd: root, env });
    expect(run.code).toBe(1);
    expect(run.err).toContain(`Not applied to database ${a.name}: the plan has errors there`);
    expect(run.out).toContain('database.marker-state');
    expect(await pgDatabase(b.name)).toBeDefined();
  });

  it('a platon-db marker on an unmanaged database does not make it ours: still database.unmanaged, and not listed as retained', async () => {
    const name = `${prefix}_hand`;
    await h.admin(`CREATE ROLE ${name}_team LOGIN PASSWORD 'pw-hand'; GRANT ${name}_team TO CURRENT_USER`);
    await h.admin(`CREATE DATABASE ${name} OWNER ${name}_team`);
    const team = await h.connectAs(`${name}_team`, name, 'pw-hand');
    await team.query(`COMMENT ON DATABASE ${name} IS '{"managedBy":"platon-db","file":"databases/${name}.yaml","team":"t","commit":"0"}'`);
    await team.end();
    const plan = await h.plan([spec(name)]);
    expect(plan.errors.map((e) => e.code)).toContain('database.unmanaged');
    expect(plan.changes.filter((c) => c.change.database === name)).toEqual([]);
    const undeclared = await h.plan([]);
    expect(undeclared.notes.filter((n) => n.database === name)).toEqual([]);
  });
});

describe('a managed database dropped by its owner (item 6)', () => {
  it('plans as vanished (roles and secrets remain), and apply recreates it empty for the same credentials', async () => {
    const s = db('gone');
    await created(s);
    await asTeam(s, `CREATE TABLE public.orders (id int)`);
    await asTeam(s, `DROP DATABASE ${s.name}`, 'postgres');
    const plan = await h.plan([s]);
    const create = plan.changes.find((c) => c.change.kind === 'create-database');
    expect(create?.summary).toBe(`recreate database ${s.name}, EMPTY, owned by ${s.name}_owner: it vanished (dropped outside platon-db); its roles and secrets remain`);
    expect(plan.changes.filter((c) => c.change.kind === 'create-role')).toEqual([]);
    const note = plan.notes.find((n) => n.kind === 'warning' && n.message.includes('vanished'));
    expect(note && note.kind === 'warning' ? note.message : '').toContain(`roles ${s.name}_owner, ${s.name}_rw, ${s.name}_ro and their secrets remain`);
    const { result } = await h.apply([s]);
    expect(result.failed).toBeUndefined();
    await asTeam(s, 'SELECT 1');
    expect(await h.admin(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'orders'`, s.name)).toEqual([{ n: 0 }]);
    expect((await h.plan([s])).changes).toEqual([]);
  });

  it('verify reports it as vanished (exit 1), also when asked for it by name, not as an unknown database', async () => {
    const name = `${prefix}_vgone`;
    const { cli } = await appliedThenAsTeam('vgone', `DROP DATABASE ${name}`, 'postgres');
    const named = await cli('verify', '--database', name, '--format', 'json');
    expect(named.code, named.err).toBe(1);
    expect(JSON.parse(named.out).findings).toContainEqual(expect.objectContaining({ severity: 'error', code: 'database.vanished', database: name }));
  });
});
