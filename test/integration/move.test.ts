/**
 * Moving a database between two instances: two embedded PostgreSQL servers (the run's and one
 * more), two instance files, each reached through PLATON_DATABASE_URL_<INSTANCE>. A second server
 * because database and role names are server-wide: one server cannot hold both copies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServer } from '../../src/adapters/postgres/embedded.js';
import { pgToolsInstalled } from '../../src/move/copy.js';
import { cli, REPO, tempRepository } from '../support/cli.js';
import { adminUrl, canConnect, dropPrefixed, urlAs, withClient } from '../support/postgres.js';
import { startTestServer } from '../support/test-server.js';

const DB = 'mv_shop';
const local = readFileSync(join(REPO, 'instances', 'local.yaml'), 'utf8');
const instance = (name: string, isDefault: boolean) => local.replace('name: local', `name: ${name}`).replace('default: false', `default: ${isDefault}`);
const file = (extra = '') =>
  `# yaml-language-server: $schema=../schema/database.schema.json\nname: ${DB}\nteam: shop-team\nproject: Shop\ncontact: shop@example.org\nusers:\n  readOnly: true\nextensions: [citext]\n${extra}`;

let beta: EmbeddedServer;
let root: string;
let env: Record<string, string | undefined>;
const run = (...args: string[]) => cli([...args, '--root', root], env);
const password = (instanceName: string, user: 'rw' | 'ro') => {
  const stored = JSON.parse(readFileSync(join(root, '.platon', 'secrets', instanceName, DB, `${user}.json`), 'utf8'));
  return stored.versions.at(-1).credentials.password as string;
};
const count = (url: string, table: string) => withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));

describe.skipIf(!pgToolsInstalled(15))('platon-db move (needs pg_dump and pg_restore 15: postgresql-client-15)', () => {
  beforeAll(async () => {
    beta = await startTestServer();
    root = tempRepository({ 'instances/alpha.yaml': instance('alpha', true), 'instances/beta.yaml': instance('beta', false), [`databases/${DB}.yaml`]: file() }, { instances: false });
    env = { PLATON_DATABASE_URL: undefined, PLATON_DATABASE_URL_ALPHA: adminUrl(), PLATON_DATABASE_URL_BETA: beta.adminUrl };
    expect((await run('apply', '--instance', 'alpha', '--auto-approve')).code).toBe(0);
    const rw = urlAs({ user: `${DB}_rw`, password: password('alpha', 'rw'), database: DB });
    await withClient(rw, async (c) => {
      await c.query(`CREATE TABLE items (id serial PRIMARY KEY, name citext NOT NULL)`);
      await c.query(`INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, 500) g`);
      await c.query(`CREATE SCHEMA sales; CREATE TABLE sales.orders (id int PRIMARY KEY, item int REFERENCES items)`);
      await c.query(`INSERT INTO sales.orders SELECT g, g FROM generate_series(1, 120) g`);
    });
  }, 120_000);
  afterAll(async () => {
    await dropPrefixed('mv_');
    await beta?.stop();
  });

  it('refuses a changed instance in every plan: on the source and on the target', async () => {
    writeFileSync(join(root, 'databases', `${DB}.yaml`), file('instance: beta\n'));
    const atSource = await run('plan', '--instance', 'alpha');
    expect(atSource.code).toBe(1);
    expect(atSource.out).toContain('database.move');
    expect(atSource.out).toContain('pg_dump and pg_restore');
    expect(atSource.out).toContain(`platon-db move ${DB} --to beta`);
    const atTarget = await run('plan', '--instance', 'beta');
    expect(atTarget.code).toBe(1);
    expect(atTarget.out).toContain('database.move');
    expect(atTarget.out).not.toContain('create database');
  });

  it('lists the steps and does nothing without --auto-approve', async () => {
    const r = await run('move', DB, '--to', 'beta');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1. create mv_shop on beta');
    expect(r.out).toContain('run again with --auto-approve');
    expect(await withClient(beta.adminUrl, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount)).toBe(0);
  });

  it('moves: creates, copies, compares, switches, and leaves the source retired with its data', async () => {
    const oldPassword = password('alpha', 'rw');
    const r = await run('move', DB, '--to', 'beta', '--from', 'alpha', '--auto-approve');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Moved mv_shop from alpha to beta.');
    expect(r.out).toContain('checked: 2 tables, 620 rows, the same on both');
    expect(r.out).toContain(`credentials: file:.platon/secrets/beta/${DB}/rw.json`);
    // The team's new home: its users, new passwords, every row, the read-only user reads it all.
    const betaRw = urlAs({ user: `${DB}_rw`, password: password('beta', 'rw'), database: DB }, beta.adminUrl);
    const betaRo = urlAs({ user: `${DB}_ro`, password: password('beta', 'ro'), database: DB }, beta.adminUrl);
    expect(await count(betaRw, 'items')).toBe(500);
    expect(await count(betaRo, 'sales.orders')).toBe(120);
    expect(await withClient(betaRw, async (c) => (await c.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'items'`)).rows[0].tableowner)).toBe(`${DB}_owner`);
    // The source: retired (no login), data kept, marked as moved.
    expect(await canConnect({ user: `${DB}_rw`, password: oldPassword, database: DB })).toBe(false);
    expect(await count(new URL(`/${DB}`, adminUrl()).href, 'items')).toBe(500);
  });

  it('plans quietly afterwards: a note on the source, no changes on the target', async () => {
    const atSource = await run('plan', '--instance', 'alpha');
    expect(atSource.code).toBe(0);
    expect(atSource.out).toContain('was moved to instance beta');
    const atTarget = await run('plan', '--instance', 'beta', '--detailed-exitcode');
    expect(atTarget.code, atTarget.out).toBe(0);
  });

  it('refuses to move it again', async () => {
    const r = await run('move', DB, '--to', 'beta', '--from', 'alpha', '--auto-approve');
    expect(r.code).toBe(1);
    expect(r.err).toContain('already');
  });
});
