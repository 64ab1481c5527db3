/**
 * Giving a database back, on a real PostgreSQL 15 as the RDS-like admin: retire (logins off, data
 * kept), then drop in a second apply with allowDestroy, which also removes the secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spec } from '../support/states.js';
import { canConnect, harness, type Harness } from '../support/applier.js';
import { dropPrefixed } from '../support/postgres.js';

// Roles are cluster-wide and test files share one server: every name here starts with rd_.
const shop = spec('rd_shop', { extensions: ['citext'] });

let h: Harness;
beforeAll(async () => {
  h = await harness();
  const { result } = await h.apply([shop]);
  expect(result.failed).toBeUndefined();
  const rw = await h.connectAs('rd_shop_rw', 'rd_shop', await h.passwordOf('rd_shop', 'rw'));
  await rw.query(`CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), (2)`);
  await rw.end();
});
afterAll(() => dropPrefixed('rd_'));

describe('retire, then drop', () => {
  it('refuses to drop what no apply retired, even with allowDestroy', async () => {
    const plan = await h.plan([{ ...shop, state: 'dropped' }], { allowDestroy: true });
    expect(plan.errors.map((e) => e.code)).toEqual(['database.not-retired']);
  });

  it('retires: the team can no longer log in, open sessions end, the data stays', async () => {
    const rwPassword = await h.passwordOf('rd_shop', 'rw');
    const roPassword = await h.passwordOf('rd_shop', 'ro');
    const open = await h.connectAs('rd_shop_ro', 'rd_shop', roPassword);
    const ended = new Promise((resolve) => open.on('error', resolve));
    const { plan, result } = await h.apply([{ ...shop, state: 'retired' }]);
    expect(result.failed).toBeUndefined();
    expect(plan.changes.map((c) => c.change.kind)).toEqual(['alter-role', 'alter-role', 'revoke-connect', 'terminate-sessions', 'set-marker']);
    await ended;
    expect(await canConnect(h, 'rd_shop_rw', 'rd_shop', rwPassword)).toBe(false);
    expect(await canConnect(h, 'rd_shop_ro', 'rd_shop', roPassword)).toBe(false);
    expect(await h.admin<{ n: number }>('SELECT count(*)::int AS n FROM public.orders', 'rd_shop')).toEqual([{ n: 2 }]);
    const [comment] = await h.admin<{ c: string }>(`SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = 'rd_shop'`);
    expect(JSON.parse(comment!.c).state).toBe('retired');
    expect((await h.plan([{ ...shop, state: 'retired' }])).changes).toEqual([]);
  });

  it('drops nothing without allowDestroy, and says what it would do', async () => {
    const plan = await h.plan([{ ...shop, state: 'dropped' }]);
    expect(plan.changes).toEqual([]);
    // Other test files' databases on the shared server show as retained: only this one's notes count.
    expect(plan.notes.filter((n) => n.database === 'rd_shop').map((n) => n.kind)).toEqual(['drop-pending']);
  });

  it('drops the retired database, its roles and their secrets with allowDestroy; then plans nothing', async () => {
    const { plan, result } = await h.apply([{ ...shop, state: 'dropped' }], { allowDestroy: true });
    expect(result.failed).toBeUndefined();
    expect(plan.changes.map((c) => c.summary)).toEqual([
      'drop database rd_shop and all its data (retired by an earlier apply)',
      'drop role rd_shop_ro',
      'drop role rd_shop_rw',
      'drop role rd_shop_owner',
      `delete the credentials of rd_shop_rw from file at ${h.secrets.refFor('rd_shop', 'rw').path}`,
      `delete the credentials of rd_shop_ro from file at ${h.secrets.refFor('rd_shop', 'ro').path}`,
    ]);
    expect(await h.admin(`SELECT 1 FROM pg_database WHERE datname = 'rd_shop'`)).toEqual([]);
    expect(await h.admin(`SELECT 1 FROM pg_roles WHERE rolname LIKE 'rd\\_shop%'`)).toEqual([]);
    expect(await h.secrets.read(h.secrets.refFor('rd_shop', 'rw'))).toBeNull();
    expect((await h.plan([{ ...shop, state: 'dropped' }], { allowDestroy: true })).changes).toEqual([]);
  });
});
