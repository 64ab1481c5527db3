/**
 * inspect reads each database in one round trip: BEGIN TRANSACTION READ ONLY, the catalog query and
 * COMMIT in one message (src/adapters/postgres/read-only.ts). The wall must stand as it did with
 * three: PostgreSQL refuses every write in a READ ONLY transaction with SQLSTATE 25006
 * read_only_sql_transaction, and a function cannot switch the transaction back to read/write once
 * it has taken its snapshot ("transaction read-write mode must be set before any query", 25001)
 * (PostgreSQL 15 manual, SET TRANSACTION; Appendix A, error codes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOnlyBatch } from '../../src/adapters/postgres/read-only.js';
import { adminUrl, connect, dropPrefixed, uniquePrefix, withClient } from '../support/postgres.js';

const prefix = uniquePrefix(import.meta.url);
const table = `${prefix}_t`;
/** A database of the test's own, which the admin owns: PostgreSQL 15 lets nobody else create in postgres's public. */
const database = `${prefix}_db`;
const url = Object.assign(new URL(adminUrl()), { pathname: `/${database}` }).href;

describe('a read-only batch (one round trip per database)', () => {
  beforeAll(async () => {
    await withClient(adminUrl(), (c) => c.query(`CREATE DATABASE ${database}`));
    await withClient(url, async (c) => {
      await c.query(`CREATE TABLE public.${table} (x int)`);
      // What a team could plant: a function that turns the transaction read/write and writes.
      await c.query(`CREATE FUNCTION public.${prefix}_write() RETURNS int LANGUAGE plpgsql AS $$
        BEGIN SET LOCAL transaction_read_only = off; INSERT INTO public.${table} VALUES (1); RETURN 1; END $$`);
    });
  });
  afterAll(async () => {
    await dropPrefixed(prefix);
  });

  it('returns each read as its own result, and the session is out of the transaction afterwards', async () => {
    const client = await connect(url);
    try {
      const [one, two] = await readOnlyBatch(client, ['SELECT 1 AS a', "SELECT current_setting('transaction_read_only') AS ro"]);
      expect(one!.rows).toEqual([{ a: 1 }]);
      expect(two!.rows).toEqual([{ ro: 'on' }]);
      // COMMIT ran: a new statement starts a fresh (read/write by default) transaction.
      expect((await client.query("SELECT current_setting('transaction_read_only') AS ro")).rows).toEqual([{ ro: 'off' }]);
    } finally {
      await client.end();
    }
  });

  it('refuses a write, and a function that tries to turn the transaction read/write, and writes nothing', async () => {
    const client = await connect(url);
    try {
      await expect(readOnlyBatch(client, [`INSERT INTO public.${table} VALUES (1)`])).rejects.toMatchObject({ code: '25006' });
      await expect(readOnlyBatch(client, [`SELECT public.${prefix}_write()`])).rejects.toMatchObject({ code: '25001' });
      // Rolled back: the session is usable and nothing was written.
      expect((await client.query(`SELECT count(*)::int AS n FROM public.${table}`)).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });
});
