/**
 * The applier against a real PostgreSQL 15, connected as an RDS-like admin (no superuser):
 * convergence, isolation between teams, the read-only user, and that nothing unmanaged is touched.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spec } from '../support/states.js';
import { canConnect, harness, type Harness } from '../support/applier.js';

// Roles are cluster-wide and test files share one server: every name here starts with ap_.
const shop = spec('ap_shop', { extensions: ['pg_trgm', 'citext'], connectionLimit: 5 });
const blog = spec('ap_blog', { users: { readOnly: false } });
const wiki = spec('ap_wiki', { extensions: ['uuid-ossp'] });
const all = [shop, blog, wiki];

let h: Harness;
const logins = async () => {
  const out: { user: string; database: string; password: string }[] = [];
  for (const s of all) {
    out.push({ user: `${s.name}_rw`, database: s.name, password: await h.passwordOf(s.name, 'rw') });
    if (s.users.readOnly) out.push({ user: `${s.name}_ro`, database: s.name, password: await h.passwordOf(s.name, 'ro') });
  }
  return out;
};

beforeAll(async () => {
  h = await harness({ scope: 'ap_' });
  // Something hand-made that must survive untouched.
  await h.admin(`CREATE ROLE ap_handmade LOGIN CONNECTION LIMIT 3 PASSWORD 'handmade-pass'`);
  await h.admin(`CREATE DATABASE ap_legacy`);
  await h.admin(`COMMENT ON DATABASE ap_legacy IS 'made by hand'`);
});

describe('apply on a real PostgreSQL 15 as a non-superuser admin', () => {
  it('runs as an admin that is not a superuser', async () => {
    const [me] = await h.admin<{ rolsuper: boolean; rolcreaterole: boolean }>(
      'SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user',
    );
    expect(me).toEqual({ rolsuper: false, rolcreaterole: true });
  });

  it('applies new databases completely, and a second plan is empty', async () => {
    const snapshotBefore = await unmanagedSnapshot(h);
    const { plan, result } = await h.apply(all);
    expect(plan.errors).toEqual([]);
    expect(result.failed).toBeUndefined();
    expect(result.applied.length).toBe(plan.changes.length);
    const again = await h.plan(all);
    expect(again.changes.map((c) => c.summary)).toEqual([]);
    expect(again.notes).toEqual([]);
    expect(await unmanagedSnapshot(h)).toEqual(snapshotBefore);
  });

  it('changes nothing on a second apply', async () => {
    const { plan, result } = await h.apply(all);
    expect(plan.changes).toEqual([]);
    expect(result.applied).toEqual([]);
  });

  it('lets every login user into its own database and no other', async () => {
    const users = await logins();
    // Hand-made databases keep PostgreSQL's default CONNECT for PUBLIC: not ours to change.
    const databases = all.map((s) => s.name);
    const outcomes: string[] = [];
    for (const u of users) {
      for (const database of databases) {
        if ((await canConnect(h, u.user, database, u.password)) !== (database === u.database)) {
          outcomes.push(`${u.user} -> ${database}`);
        }
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('keeps PUBLIC out: a user with no grants cannot connect to a team database', async () => {
    for (const s of all) expect(await canConnect(h, 'ap_handmade', s.name, 'handmade-pass')).toBe(false);
    expect(await canConnect(h, 'ap_handmade', 'ap_legacy', 'handmade-pass')).toBe(true);
  });

  it('refuses a wrong password', async () => {
    expect(await canConnect(h, 'ap_shop_rw', 'ap_shop', 'not-the-password')).toBe(false);
  });

  it('gives the read-only user tables the read/write user creates later, and nothing more', async () => {
    const rw = await h.connectAs('ap_shop_rw', 'ap_shop', await h.passwordOf('ap_shop', 'rw'));
    await rw.query(`CREATE TABLE items (id serial PRIMARY KEY, name citext)`);
    await rw.query(`CREATE SCHEMA sales`);
    await rw.query(`CREATE TABLE sales.orders (id int)`);
    await rw.query(`INSERT INTO items (name) VALUES ('Apple'), ('apricot')`);
    const owner = await rw.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'items'`);
    expect(owner.rows[0].tableowner).toBe('ap_shop_owner');
    const similar = await rw.query(`SELECT similarity('apple', 'apples') > 0.5 AS close`);
    expect(similar.rows[0].close).toBe(true);
    await rw.end();

    const ro = await h.connectAs('ap_shop_ro', 'ap_shop', await h.passwordOf('ap_shop', 'ro'));
    const rows = await ro.query(`SELECT name FROM items WHERE name = 'APPLE'`);
    expect(rows.rows).toEqual([{ name: 'Apple' }]);
    await expect(ro.query(`SELECT count(*)::int AS n FROM sales.orders`)).resolves.toMatchObject({ rows: [{ n: 0 }] });
    for (const write of [
      `INSERT INTO items (name) VALUES ('x')`,
      `UPDATE items SET name = 'x'`,
      `DELETE FROM items`,
      `CREATE TABLE ro_table (id int)`,
      `CREATE SCHEMA ro_schema`,
      `DROP TABLE items`,
    ]) {
      await expect(ro.query(write), write).rejects.toThrow(/permission denied|must be owner/);
    }
    await ro.end();
    // Tables created after the apply need no new grants: the plan stays empty.
    expect((await h.plan(all)).changes).toEqual([]);
  });

  it('restores read access to tables the owner made before the read-only user existed', async () => {
    const rw = await h.connectAs('ap_wiki_rw', 'ap_wiki', await h.passwordOf('ap_wiki', 'rw'));
    await rw.query(`CREATE TABLE pages (id uuid DEFAULT uuid_generate_v4())`);
    await rw.query(`INSERT INTO pages DEFAULT VALUES`);
    await rw.end();
    await h.admin(`REVOKE SELECT ON public.pages FROM ap_wiki_ro`, 'ap_wiki');
    const plan = await h.plan(all);
    expect(plan.changes.map((c) => c.change.kind)).toEqual(['grant-schema-read', 'set-marker']);
    await h.apply(all);
    const ro = await h.connectAs('ap_wiki_ro', 'ap_wiki', await h.passwordOf('ap_wiki', 'ro'));
    await expect(ro.query('SELECT count(*)::int AS n FROM pages')).resolves.toMatchObject({ rows: [{ n: 1 }] });
    await ro.end();
  });

  it('corrects drift in limits, logins, memberships and PUBLIC access', async () => {
    await h.admin(`ALTER ROLE ap_shop_rw CONNECTION LIMIT 50`);
    await h.admin(`ALTER ROLE ap_wiki_ro NOLOGIN`);
    await h.admin(`GRANT ap_blog_owner TO ap_handmade`);
    await h.admin(`GRANT CONNECT ON DATABASE ap_blog TO PUBLIC`);
    const plan = await h.plan(all);
    expect(plan.changes.map((c) => c.summary)).toEqual(
      expect.arrayContaining([
        'correct role ap_shop_rw: connection limit 5',
        'correct role ap_wiki_ro: allow login',
        'revoke unexpected membership of ap_handmade in ap_blog_owner',
        expect.stringContaining('from PUBLIC'),
      ]),
    );
    const { result } = await h.apply(all);
    expect(result.failed).toBeUndefined();
    expect((await h.plan(all)).changes).toEqual([]);
    expect(await canConnect(h, 'ap_handmade', 'ap_blog', 'handmade-pass')).toBe(false);
  });

  it('reports a removed extension, and drops it only with allowDestroy', async () => {
    const fewer = [{ ...shop, extensions: ['citext'] }, blog, wiki];
    const kept = await h.plan(fewer);
    expect(kept.changes).toEqual([]);
    expect(kept.notes).toEqual([{ kind: 'extension-kept', database: 'ap_shop', extension: 'pg_trgm' }]);
    const { result } = await h.apply(fewer, { allowDestroy: true });
    expect(result.failed).toBeUndefined();
    const installed = await h.admin<{ extname: string }>(`SELECT extname FROM pg_extension ORDER BY 1`, 'ap_shop');
    expect(installed.map((r) => r.extname)).toEqual(['citext', 'plpgsql']);
  });

  it('refuses a declared database that exists without our marker and touches nothing of it; the other databases still apply', async () => {
    const legacy = spec('ap_legacy');
    const fresh = spec('ap_fresh');
    const { plan, result } = await h.apply([legacy, fresh, ...all]);
    expect(plan.errors.map((e) => e.message)).toEqual(['database ap_legacy exists and is not managed by platon-db']);
    // One database's problem is that database's (ARCHITECTURE.md, "The hostile tenant"): ap_fresh is created.
    expect(result.applied.filter((c) => c.change.database === 'ap_legacy')).toEqual([]);
    const exists = await h.admin(`SELECT 1 AS one FROM pg_database WHERE datname = 'ap_fresh'`);
    expect(exists).toEqual([{ one: 1 }]);
    const [comment] = await h.admin<{ c: string }>(`SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = 'ap_legacy'`);
    expect(comment?.c).toBe('made by hand');
  });

  it('keeps a database whose file was removed, and says so', async () => {
    const plan = await h.plan([{ ...shop, extensions: ['citext'] }, wiki]);
    expect(plan.changes).toEqual([]);
    expect(plan.notes).toContainEqual({ kind: 'retained-database', database: 'ap_blog', file: 'databases/ap_blog.yaml' });
  });

  it('leaves a database whose own change fails for the next run, applies the others, and converges once it is fixed', async () => {
    const broken = spec('ap_broken', { extensions: ['no_such_extension'] });
    const other = spec('ap_zz_after', { extensions: ['citext'] }); // sorts after ap_broken: applied after its failure
    const { result } = await h.apply([...all, broken, other]);
    expect(result.failed).toBeUndefined();
    expect(result.databaseFailures?.map((f) => [f.database, f.change.summary])).toEqual([['ap_broken', 'create extension no_such_extension in ap_broken']]);
    expect(result.databaseFailures?.[0]?.message).toMatch(/no_such_extension/);
    const applied = result.applied.map((c) => c.summary);
    expect(applied).toContain('create database ap_broken owned by ap_broken_owner');
    expect(applied).toContain('create extension citext in ap_zz_after');
    // What was left is that database's alone, and the next plan shows it again.
    expect(result.notApplied.length).toBeGreaterThan(0);
    expect(result.notApplied.every((c) => c.change.database === 'ap_broken')).toBe(true);
    const fixed = { ...broken, extensions: ['citext'] };
    const second = await h.apply([...all, fixed, other]);
    expect(second.result.failed).toBeUndefined();
    expect(second.result.databaseFailures).toBeUndefined();
    expect((await h.plan([...all, fixed, other])).changes).toEqual([]);
  });
});

describe('credentials', () => {
  it('finishes a rotation that crashed after storing the new password, and confirms it', async () => {
    const s = spec('ap_rotated', { users: { readOnly: false } });
    await h.apply([s]);
    const ref = h.secrets.refFor(s.name, 'rw');
    const old = (await h.secrets.read(ref))!;
    const next = { ...old.credentials, password: 'RotatedButNeverSet0123456789abcd' };
    await h.secrets.markRotation(ref, 2, 'pending');
    await h.secrets.write(ref, next, 1);
    expect(await h.secrets.status(ref)).toBe('rotation-pending');
    const plan = await h.plan([s]);
    expect(plan.changes.map((c) => c.summary)).toEqual([
      `finish the interrupted rotation of ap_rotated_rw: set the latest password from file at ${ref.path}`,
      'record ownership of database ap_rotated (commit test-commit)',
    ]);
    await h.apply([s]);
    expect(await canConnect(h, 'ap_rotated_rw', s.name, next.password)).toBe(true);
    expect(await canConnect(h, 'ap_rotated_rw', s.name, old.credentials.password)).toBe(false);
    expect(await h.secrets.status(ref)).toBe('present');
    expect((await h.secrets.read(ref))?.version).toBe(2);
    expect((await h.plan([s])).changes).toEqual([]);
  });

  it('completes a secret left without its role by a crash, never replacing it', async () => {
    const s = spec('ap_crashed');
    const ref = h.secrets.refFor(s.name, 'rw');
    const url = new URL(h.adminUrl);
    const password = 'KeptFromTheCrashedRun0123456789ab';
    await h.secrets.write(
      ref,
      { username: 'ap_crashed_rw', password, host: url.hostname, port: Number(url.port), database: s.name, uri: 'postgresql://x' },
      0,
    );
    const { result } = await h.apply([s]);
    expect(result.failed).toBeUndefined();
    expect((await h.secrets.read(ref))?.version).toBe(1);
    expect(await canConnect(h, 'ap_crashed_rw', s.name, password)).toBe(true);
  });

  it('plans and repairs a login role whose secret went missing, by issuing a new password', async () => {
    const s = spec('ap_lost', { users: { readOnly: false } });
    await h.apply([s]);
    const old = await h.passwordOf(s.name, 'rw');
    await rm(join(h.secretsRoot, h.secrets.refFor(s.name, 'rw').path));
    const plan = await h.plan([s]);
    expect(plan.changes.map((c) => c.change.kind)).toEqual(['reset-password', 'set-marker']);
    expect(plan.changes[0]?.statements[0]?.sql).toBe('ALTER ROLE "ap_lost_rw" PASSWORD :password');
    await h.apply([s]);
    const fresh = await h.passwordOf(s.name, 'rw');
    expect(fresh).not.toBe(old);
    expect(await canConnect(h, 'ap_lost_rw', s.name, fresh)).toBe(true);
    expect(await canConnect(h, 'ap_lost_rw', s.name, old)).toBe(false);
    expect((await h.plan([s])).changes).toEqual([]);
  });
});

/** Roles and databases not made by this test, as the catalogs show them. */
/**
 * What this apply must leave alone: the hand-made role and database this file made, and what
 * PostgreSQL and the RDS-like bootstrap made (postgres, template1, the admin, rds_superuser, the
 * pg_* roles). Other test files' objects are left out: they run at the same time and change theirs.
 */
async function unmanagedSnapshot(h: Harness) {
  const roles = await h.admin(
    `SELECT rolname, rolcanlogin, rolconnlimit, shobj_description(oid, 'pg_authid') AS comment,
            ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                   WHERE m.member = r.oid AND (g.rolname IN ('ap_handmade', 'rds_superuser', 'platon_admin') OR g.rolname LIKE 'pg\\_%') ORDER BY 1) AS member_of
       FROM pg_roles r WHERE rolname IN ('ap_handmade', 'rds_superuser', 'platon_admin', 'postgres') OR rolname LIKE 'pg\\_%' ORDER BY 1`,
  );
  const databases = await h.admin(
    `SELECT datname, pg_get_userbyid(datdba) AS owner, datacl::text, shobj_description(oid, 'pg_database') AS comment
       FROM pg_database WHERE datname IN ('ap_legacy', 'postgres', 'template1') ORDER BY 1`,
  );
  return { roles, databases };
}
