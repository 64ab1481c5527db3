/**
 * Isolation at scale (issue 7, item 4): 20 databases with read-only users. Every login user tries
 * every other database, every read-only user tries to write: nothing succeeds, and each refusal is
 * PostgreSQL's "permission denied" (the password was right). Then `platon-db verify` says the same
 * from the catalogs alone, names each hole drift opens, and changes nothing while it looks.
 */
import pg from 'pg';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { catalogSnapshot } from '../support/catalog-snapshot.js';
import { manyDatabases, writeLocalRepo } from '../support/local-repo.js';
import { adminUrl, connect, dropPrefixed, superuserUrl, uniquePrefix, urlAs, withClient } from '../support/postgres.js';
import { loggedAdminUrl, serverLogThrough } from '../support/server-log.js';

const prefix = uniquePrefix(import.meta.url);
const instance = `iso-${prefix.slice(-6)}`;
const databases = manyDatabases(prefix, 20).map((db) => ({ ...db, readOnly: true }));
const names = databases.map((d) => d.name);
const db = (i: number) => names[i]!;
const env = { PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: 'c0ffee' };
let root: string;
const passwords = new Map<string, string>();

async function cli(args: string[], extraEnv: Record<string, string> = {}) {
  return runCli([...args, '--root', root], { cwd: root, env: { ...env, ...extraEnv } });
}

/** The SQLSTATE PostgreSQL refused with, or 'ok'. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code) throw error;
    return code;
  }
}

beforeAll(async () => {
  root = await writeLocalRepo(instance, databases);
  const applied = await cli(['apply', '--auto-approve']);
  if (applied.code !== 0) throw new Error(applied.out + applied.err);
  const store = new FileSecretStore({ store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance });
  for (const name of names) {
    for (const user of ['rw', 'ro'] as const) {
      const secret = await store.read(store.refFor(name, user));
      passwords.set(`${name}_${user}`, secret!.credentials.password);
    }
  }
}, 120_000);
afterAll(() => dropPrefixed(prefix));

describe('20 databases on one instance', () => {
  it('no login user can connect to another team database (760 tries, each refused for lack of CONNECT)', async () => {
    const limit = pLimit(8);
    const tries = [...passwords].flatMap(([user, password]) =>
      names.map((database) =>
        limit(async () => ({ user, database, own: user.startsWith(`${database}_`), result: await outcome(() => withClient(urlAs({ user, password, database }), async () => undefined)) })),
      ),
    );
    const results = await Promise.all(tries);
    expect(results).toHaveLength(40 * 20);
    expect(results.filter((r) => r.own && r.result !== 'ok')).toEqual([]);
    // 42501 insufficient_privilege: "permission denied for database"; the login itself was fine.
    expect(results.filter((r) => !r.own && r.result !== '42501')).toEqual([]);
  });

  it('no read-only user can write, create, truncate or drop anything (11 statements in each of 20 databases)', async () => {
    const attempts = [
      'INSERT INTO team.items (name) VALUES ($$x$$)',
      'UPDATE team.items SET name = $$x$$',
      'DELETE FROM team.items',
      'TRUNCATE team.items',
      'DROP TABLE team.items',
      'ALTER TABLE team.items ADD COLUMN x int',
      'CREATE TABLE public.mine (id int)',
      'CREATE TABLE team.mine (id int)',
      'CREATE SCHEMA mine',
      'CREATE TEMP TABLE mine (id int)',
      'SELECT nextval($$team.items_id_seq$$)',
    ];
    const limit = pLimit(4);
    const results = await Promise.all(
      names.map((database) =>
        limit(async () => {
          const rw = await connect(urlAs({ user: `${database}_rw`, password: passwords.get(`${database}_rw`)!, database }));
          await rw.query('CREATE SCHEMA team; CREATE TABLE team.items (id serial PRIMARY KEY, name text); INSERT INTO team.items (name) VALUES ($$a$$)');
          await rw.end();
          const ro = await connect(urlAs({ user: `${database}_ro`, password: passwords.get(`${database}_ro`)!, database }));
          try {
            expect((await ro.query('SELECT count(*)::int AS n FROM team.items')).rows[0].n).toBe(1);
            const refused: string[] = [];
            for (const sql of attempts) refused.push(`${await outcome(() => ro.query(sql))} ${sql}`);
            return refused;
          } finally {
            await ro.end();
          }
        }),
      ),
    );
    const all = results.flat();
    expect(all).toHaveLength(20 * attempts.length);
    expect(all.filter((r) => !r.startsWith('42501 '))).toEqual([]);
  });
});

describe('platon-db verify', () => {
  const args = ['verify', '--format', 'json', '--database', ...names];

  it('finds no problem after a clean apply, and warns that postgres lets everyone connect', async () => {
    const run = await cli(args);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    expect(report).toMatchObject({ formatVersion: 'platon-db.verify.v1', instance, ok: true, databases: names });
    expect(report.roles).toHaveLength(60);
    expect(report.findings.map((f: { code: string }) => f.code)).toEqual(['maintenance.public-connect', 'maintenance.public-connect']);
  });

  it('names every hole that drift opens, exits 1, and changes nothing while it looks', async () => {
    const id = pg.escapeIdentifier;
    const stranger = `${prefix}_stranger`;
    await withClient(adminUrl(), async (c) => {
      await c.query(`GRANT CONNECT ON DATABASE ${id(db(1))} TO ${id(`${db(2)}_rw`)}`);
      await c.query(`GRANT CREATE ON DATABASE ${id(db(3))} TO ${id(`${db(3)}_ro`)}`);
      await c.query(`GRANT CONNECT ON DATABASE ${id(db(4))} TO PUBLIC`);
      await c.query(`GRANT ${id(`${db(5)}_owner`)} TO ${id(`${db(6)}_rw`)}`);
      await c.query(`ALTER ROLE ${id(`${db(7)}_rw`)} CREATEDB`);
      await c.query(`GRANT pg_read_all_data TO ${id(`${db(8)}_ro`)}`);
      await c.query(`CREATE ROLE ${id(stranger)} LOGIN`);
      await c.query(`GRANT CONNECT ON DATABASE ${id(db(9))} TO ${id(stranger)}`);
    });
    const before = await catalogSnapshot(adminUrl(), prefix);
    const run = await cli(args);
    expect(await catalogSnapshot(adminUrl(), prefix)).toEqual(before);
    expect(run.code).toBe(1);
    const errors = JSON.parse(run.out).findings.filter((f: { severity: string }) => f.severity === 'error');
    expect(errors.map((f: { code: string; database: string; role?: string }) => `${f.code} ${f.database} ${f.role ?? '-'}`)).toEqual([
      `access.cross-database ${db(1)} ${db(2)}_rw`,
      `access.read-only-writes ${db(3)} ${db(3)}_ro`,
      `access.public ${db(4)} -`,
      `membership.unexpected-member ${db(5)} ${db(5)}_owner`,
      `access.cross-database ${db(5)} ${db(6)}_rw`,
      `role.privileged ${db(7)} ${db(7)}_rw`,
      `membership.unexpected-group ${db(8)} ${db(8)}_ro`,
      `access.unmanaged-grantee ${db(9)} ${stranger}`,
    ]);
    const text = await cli(args.filter((a) => a !== '--format' && a !== 'json'));
    expect(text.code).toBe(1);
    expect(text.out).toContain(`error access.cross-database: role ${db(2)}_rw (rw of ${db(2)}) holds CONNECT on database ${db(1)}`);
    expect(text.out).toMatch(/^8 problems found, and 2 warnings\.$/m);
  });

  it.skipIf(!superuserUrl())('reads in a READ ONLY transaction, as any role that can read the catalogs (statement log)', async () => {
    const logged = await loggedAdminUrl(prefix);
    const before = await serverLogThrough(logged);
    const run = await cli(['verify', '--database', db(0)], { PLATON_DATABASE_URL: logged });
    expect(run.code, run.out + run.err).toBe(0);
    const during = (await serverLogThrough(logged)).slice(before.length);
    expect(during).toContain('BEGIN TRANSACTION READ ONLY');
    // The first word of every statement the logged role sent: reads only, inside that transaction.
    const verbs = [...during.matchAll(/LOG: {2}(?:statement|execute [^:]*): \s*(\w+)/g)].map((m) => m[1]);
    expect(new Set(verbs)).toEqual(new Set(['BEGIN', 'SELECT', 'COMMIT']));
  });
});
