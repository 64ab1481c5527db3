/**
 * A team may drop its own database at any moment, also while the drift job's `verify` reads the
 * instance. What verify reads about a database that has gone by the time it asks must drop out,
 * not fail the check of every other database ("database ... does not exist").
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCESS_PRIVILEGES } from '../../src/inspect/access-queries.js';
import { adminUrl, dropPrefixed, uniquePrefix, withClient } from '../support/postgres.js';

const prefix = uniquePrefix(import.meta.url);
const id = pg.escapeIdentifier;
afterAll(() => dropPrefixed(prefix));

describe("verify's privilege question", () => {
  it('answers for the databases that still exist when one in the list was dropped after it was listed', async () => {
    const kept = `${prefix}_kept`;
    const role = `${prefix}_rw`;
    const rows = await withClient(adminUrl(), async (c) => {
      await c.query(`CREATE ROLE ${id(role)} LOGIN`);
      await c.query(`CREATE DATABASE ${id(kept)}`);
      await c.query(`CREATE DATABASE ${id(`${prefix}_gone`)}`);
      await c.query(`REVOKE CONNECT ON DATABASE ${id(kept)} FROM PUBLIC`);
      await c.query(`GRANT CONNECT ON DATABASE ${id(kept)} TO ${id(role)}`);
      // Listed while it existed, dropped (by its owner) before the privileges are asked for.
      await c.query(`DROP DATABASE ${id(`${prefix}_gone`)}`);
      return (await c.query(ACCESS_PRIVILEGES, [[role, `${prefix}_gone_role`], [kept, `${prefix}_gone`]])).rows;
    });
    expect(rows).toEqual([{ role, database: kept, connect: true, create: false, temp: true }]);
  });
});
