/** The verifier logs in for real: PostgreSQL accepts it as a password and checks it over TCP. */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { parseScramVerifier, scramSha256Verifier } from '../../src/adapters/postgres/scram.js';
import { adminUrl, canConnect, dropPrefixed, superuserUrl, uniquePrefix, withClient } from '../support/postgres.js';

const prefix = uniquePrefix(import.meta.url);
afterAll(() => dropPrefixed(prefix));

describe('SCRAM-SHA-256 verifiers on PostgreSQL', () => {
  it.skipIf(!superuserUrl())('match what PostgreSQL computes from the same password and salt', async () => {
    const role = `${prefix}_vector`;
    const stored = await withClient(superuserUrl()!, async (client) => {
      await client.query("SET password_encryption = 'scram-sha-256'");
      await client.query(`CREATE ROLE ${pg.escapeIdentifier(role)} PASSWORD 'a-known password'`);
      const result = await client.query<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role]);
      return result.rows[0]!.rolpassword;
    });
    expect(scramSha256Verifier('a-known password', parseScramVerifier(stored)!.salt)).toBe(stored);
  });

  it('let a role the admin created with a verifier log in with the password, and only with it', async () => {
    const user = `${prefix}_login`;
    const password = 'S3cret-password-for-login';
    await withClient(adminUrl(), (client) =>
      client.query(`CREATE ROLE ${pg.escapeIdentifier(user)} LOGIN PASSWORD ${pg.escapeLiteral(scramSha256Verifier(password))}`),
    );
    expect(await canConnect({ user, password, database: 'postgres' })).toBe(true);
    expect(await canConnect({ user, password: `${password}x`, database: 'postgres' })).toBe(false);
  });

  it.skipIf(!superuserUrl())('proves the server checks passwords over TCP (pg_hba is not trust)', async () => {
    const methods = await withClient(superuserUrl()!, async (client) =>
      (await client.query<{ auth_method: string }>("SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type = 'host'")).rows.map((r) => r.auth_method),
    );
    expect(methods).toEqual(['scram-sha-256']);
  });
});
