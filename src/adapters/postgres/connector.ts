/**
 * Connections as the instance's admin role, to the maintenance database or to one team database.
 * The admin is RDS-master-like (NOSUPERUSER CREATEDB CREATEROLE); nothing here assumes more.
 */
import pg from 'pg';

/** A connection could not be opened (server down, wrong password, no such database). */
export class ConnectError extends Error {
  constructor(
    readonly database: string | undefined,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'ConnectError';
  }
}

/**
 * Sent as a startup option, so it overrides every ALTER DATABASE/ROLE ... SET search_path: a team
 * owns its database and could otherwise put its own schema, views or functions ahead of
 * pg_catalog, and the admin's catalog queries would run the team's code with the admin's rights.
 * pg_temp last: nothing is ever resolved from a temporary schema. Objects are created in a named
 * schema (see sql/to-sql.ts), never in the first schema of this path.
 */
export const PINNED_SEARCH_PATH = 'pg_catalog,pg_temp';

/**
 * The admin's session settings, as startup options. PostgreSQL applies a client's startup options
 * after the database's and role's settings (ALTER DATABASE/ROLE ... SET), so these win over
 * whatever a team sets on the database it owns:
 * - search_path: above;
 * - role=none: `ALTER DATABASE d SET role = d_owner` would otherwise make every admin session in
 *   d run as the team's role (the admin is a member of it);
 * - default_transaction_read_only=off: the team could stop every apply in its database;
 * - statement and idle timeouts at 0 (PostgreSQL's and RDS's default): `statement_timeout = 1`
 *   would fail every admin statement there; an idle-session timeout would end the admin's idle
 *   connection;
 * - lock_timeout at `lockWait`, never 0 (wait forever): a team that keeps a transaction open on
 *   its own tables would otherwise hold the admin's GRANT there, and with it the instance's apply
 *   lock and every other team's changes, for as long as it likes. With a bound the statement fails
 *   ("canceling statement due to lock timeout"), and apply moves on to the other databases.
 * Values hold no spaces: PostgreSQL splits the options string on whitespace.
 */
export function pinnedOptions(lockWait: string = DEFAULT_LOCK_WAIT): string {
  return [
    `search_path=${PINNED_SEARCH_PATH}`,
    'role=none',
    'default_transaction_read_only=off',
    'statement_timeout=0',
    `lock_timeout=${lockWait}`,
    'idle_in_transaction_session_timeout=0',
    'idle_session_timeout=0',
  ]
    .map((setting) => `-c ${setting}`)
    .join(' ');
}

/** How long an admin statement waits for a lock a team holds (PLATON_LOCK_WAIT overrides it). */
export const DEFAULT_LOCK_WAIT = '30s';
export const PINNED_OPTIONS = pinnedOptions();

export interface Connector {
  /** A connected client on `database` (the maintenance database when omitted). Caller ends it. */
  connect(database?: string): Promise<pg.Client>;
  /** The admin URL with the password removed, for messages. */
  readonly display: string;
}

export function urlConnector(adminUrl: string, options: { applicationName?: string; lockWait?: string } = {}): Connector {
  const pinned = pinnedOptions(options.lockWait);
  const base = new URL(adminUrl);
  const display = `${base.protocol}//${decodeURIComponent(base.username)}@${base.host}${base.pathname}`;
  return {
    display,
    async connect(database?: string) {
      const url = new URL(base.href);
      if (database !== undefined) url.pathname = `/${encodeURIComponent(database)}`;
      // pg lets a connection string's `options` replace the one given beside it: keep the URL's
      // (an operator's), and put the pin after it, where PostgreSQL lets it win.
      const fromUrl = url.searchParams.get('options');
      url.searchParams.delete('options');
      const client = new pg.Client({
        connectionString: url.href,
        application_name: options.applicationName ?? 'platon-db',
        connectionTimeoutMillis: 15_000,
        options: fromUrl ? `${fromUrl} ${pinned}` : pinned,
      });
      // An idle client whose server goes away emits 'error'; without a listener Node would crash.
      client.on('error', () => undefined);
      try {
        await client.connect();
      } catch (error) {
        throw new ConnectError(database, error);
      }
      return client;
    },
  };
}

/** Runs `fn` on a fresh client and always ends it. */
export async function withClient<T>(connector: Connector, database: string | undefined, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = await connector.connect(database);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
