/**
 * The test server's admin is RDS-master-like, so tests see the permission errors RDS gives: not a
 * superuser, member of rds_superuser, may create databases, roles and trusted extensions only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { adminUrl, dropPrefixed, uniquePrefix, urlAs, withClient } from '../support/postgres.js';

const prefix = uniquePrefix(import.meta.url);
const database = `${prefix}_db`;
const id = pg.escapeIdentifier;
const inDatabase = () => {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.href;
};

beforeAll(() => withClient(adminUrl(), (c) => c.query(`CREATE DATABASE ${id(database)}`)));
afterAll(() => dropPrefixed(prefix));

describe('the RDS-like admin', () => {
  it('is not a superuser but may create databases and roles, and is a member of rds_superuser', async () => {
    const row = await withClient(adminUrl(), async (c) =>
      (
        await c.query(`SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,
                              pg_has_role(current_user, 'rds_superuser', 'MEMBER') AS rds_superuser,
                              pg_has_role('rds_superuser', 'pg_monitor', 'MEMBER') AS monitor,
                              pg_has_role('rds_superuser', 'pg_signal_backend', 'MEMBER') AS signal
                         FROM pg_roles WHERE rolname = current_user`)
      ).rows[0],
    );
    expect(row).toEqual({
      rolsuper: false, rolcreatedb: true, rolcreaterole: true, rolreplication: false, rolbypassrls: false,
      rds_superuser: true, monitor: true, signal: true,
    });
  });

  it.each(['SUPERUSER', 'REPLICATION', 'BYPASSRLS'])('cannot create a role with %s', async (attribute) => {
    await expect(
      withClient(adminUrl(), (c) => c.query(`CREATE ROLE ${id(`${prefix}_x`)} ${attribute}`)),
    ).rejects.toThrow(/must be superuser/);
  });

  it('cannot read pg_authid (password hashes)', async () => {
    await expect(withClient(adminUrl(), (c) => c.query('SELECT rolpassword FROM pg_authid'))).rejects.toThrow(/permission denied/);
  });

  it('cannot create an untrusted extension', async () => {
    await expect(withClient(inDatabase(), (c) => c.query('CREATE EXTENSION postgres_fdw'))).rejects.toThrow(
      /permission denied to create extension "postgres_fdw"/,
    );
  });

  it('can create a trusted extension in a database it owns', async () => {
    const installed = await withClient(inDatabase(), async (c) => {
      await c.query('CREATE EXTENSION pg_trgm');
      return (await c.query("SELECT similarity('platon', 'plato') > 0.5 AS similar")).rows[0];
    });
    expect(installed).toEqual({ similar: true });
  });

  it('leaves CONNECT on the postgres database to PUBLIC, as RDS does', async () => {
    const user = `${prefix}_plain`;
    await withClient(adminUrl(), (c) => c.query(`CREATE ROLE ${id(user)} LOGIN PASSWORD 'plain-Password-1'`));
    await expect(withClient(urlAs({ user, password: 'plain-Password-1', database: 'postgres' }), (c) => c.query('SELECT current_database() AS db'))).resolves.toMatchObject({ rows: [{ db: 'postgres' }] });
  });
});
