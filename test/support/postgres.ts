/** Helpers for tests that talk to the run's PostgreSQL (see ./global-setup.ts). */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type {} from './provided.js';

/** The RDS-like admin's URL: what the code under test gets. */
export function adminUrl(): string {
  return inject('adminUrl');
}

/** SIMULATION ONLY (see ./provided.ts); null against PLATON_DATABASE_URL, so guard with skipIf. */
export function superuserUrl(): string | null {
  return inject('superuserUrl');
}

export function serverLogFile(): string | null {
  return inject('serverLogFile');
}

export interface Login {
  readonly user: string;
  readonly password: string;
  /** Default: the database of the admin URL. */
  readonly database?: string;
}

/** `base` (default: the admin URL) with another user, password and database. */
export function urlAs(login: Login, base: string = adminUrl()): string {
  const url = new URL(base);
  url.username = encodeURIComponent(login.user);
  url.password = encodeURIComponent(login.password);
  if (login.database !== undefined) url.pathname = `/${encodeURIComponent(login.database)}`;
  return url.href;
}

/** A connected client; the caller ends it. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A server-side disconnect of an idle client emits 'error'; unhandled it would crash the worker.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A client logged in as `login` on the run's server. */
export function connectAs(login: Login): Promise<pg.Client> {
  return connect(urlAs(login));
}

/**
 * Whether `login` may connect. False only for PostgreSQL's refusals (wrong password, no such
 * role or database, no CONNECT privilege, login not allowed); anything else (server down) throws,
 * so a broken setup cannot pass as "access denied".
 */
export async function canConnect(login: Login): Promise<boolean> {
  try {
    await withClient(urlAs(login), async () => undefined);
    return true;
  } catch (error) {
    if (REFUSALS.has((error as { code?: string }).code ?? '')) return false;
    throw error;
  }
}

// 28P01 invalid_password, 28000 invalid_authorization_specification (incl. role cannot log in),
// 3D000 invalid_catalog_name (no such database), 42501 insufficient_privilege (no CONNECT).
const REFUSALS = new Set(['28P01', '28000', '3D000', '42501']);

/**
 * Names for one test file: roles are cluster-wide and files run in parallel against one server,
 * so each file prefixes its databases and roles with this. The random tail keeps reruns against a
 * long-lived PLATON_DATABASE_URL server from meeting an earlier run's leftovers. Fits the database
 * name rule (`^[a-z][a-z0-9_]*$`) and leaves room for `_owner` etc. within 57 characters.
 */
export function uniquePrefix(testFile: string): string {
  const name = basename(testFile.startsWith('file:') ? new URL(testFile).pathname : testFile).replace(/\.(test|spec)\.[cm]?[jt]s$/, '');
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 20);
  return `t_${slug}_${randomBytes(3).toString('hex')}`;
}

/**
 * Best-effort cleanup as the admin: drops the databases (WITH FORCE) and roles whose names start
 * with `prefix`. The embedded server is thrown away anyway; this keeps a shared server tidy.
 */
export async function dropPrefixed(prefix: string, url: string = adminUrl()): Promise<void> {
  const like = `${prefix.replace(/[\\%_]/g, '\\$&')}%`;
  await withClient(url, async (client) => {
    const id = pg.escapeIdentifier;
    const databases = await client.query<{ datname: string; owner: string }>(
      'SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname LIKE $1',
      [like],
    );
    for (const { datname, owner } of databases.rows) {
      // A non-superuser admin may drop only databases of roles it is a member of.
      await client.query(`GRANT ${id(owner)} TO CURRENT_USER`).catch(() => undefined);
      await client.query(`DROP DATABASE IF EXISTS ${id(datname)} WITH (FORCE)`).catch(() => undefined);
    }
    const roles = await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname DESC', [like]);
    for (const { rolname } of roles.rows) {
      await client.query(`DROP OWNED BY ${id(rolname)}`).catch(() => undefined);
      await client.query(`DROP ROLE IF EXISTS ${id(rolname)}`).catch(() => undefined);
    }
  });
}
