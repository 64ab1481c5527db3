/**
 * SIMULATION ONLY, for tests that check what reaches the server's statement log (RDS keeps such
 * logs, so no plaintext password may ever be in a statement). Needs the embedded server:
 * guard with `describe.skipIf(!superuserUrl())`.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { bootstrapRdsLike } from '../../src/adapters/postgres/bootstrap-rds-like.js';
import { generatePassword } from '../../src/adapters/secrets/password.js';
import { serverLogFile, superuserUrl, urlAs, withClient } from './postgres.js';

/**
 * A second RDS-like admin, `<prefix>_admin`, whose every statement the server logs
 * (`log_statement = all` for that role only, so other test files' logs stay quiet).
 */
export async function loggedAdminUrl(prefix: string): Promise<string> {
  const user = `${prefix}_admin`;
  const password = generatePassword();
  await withClient(requireSuperuser(), async (client) => {
    await bootstrapRdsLike(client, { user, password });
    await client.query(`ALTER ROLE ${pg.escapeIdentifier(user)} SET log_statement = 'all'`);
  });
  return urlAs({ user, password, database: 'postgres' });
}

/**
 * The whole server log up to now. The log reaches its file asynchronously, so a marker statement
 * is sent through `loggedUrl` (a logged role) and the file is read until the marker shows up.
 */
export async function serverLogThrough(loggedUrl: string, timeoutMs = 5_000): Promise<string> {
  const file = serverLogFile();
  if (!file) throw new Error('no server log: the tests run against PLATON_DATABASE_URL');
  const marker = `log-marker-${randomBytes(6).toString('hex')}`;
  await withClient(loggedUrl, (client) => client.query(`SELECT '${marker}'`));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(file, 'utf8');
    if (text.includes(marker)) return text;
    if (Date.now() > deadline) throw new Error(`marker ${marker} did not reach ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function requireSuperuser(): string {
  const url = superuserUrl();
  if (!url) throw new Error('needs the embedded server (superuser); skip this test with PLATON_DATABASE_URL');
  return url;
}
