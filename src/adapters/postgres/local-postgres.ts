/**
 * The local instance (`npm start`, `--instance local`): an embedded PostgreSQL whose cluster
 * lives under `<root>/.platon/pg` and survives runs. Its passwords are generated once and kept in
 * `<root>/.platon/local-postgres.json` (mode 0600; `.platon/` is git-ignored).
 *
 * One run at a time holds `<root>/.platon/local-postgres.lock`. A run killed with SIGKILL leaves
 * that lock and possibly a server still running: the next run sees the lock's owner is gone, stops
 * the orphaned server and starts its own.
 *
 * A run that serves the instance (`platon-db local-server`) also writes where it listens to
 * `<root>/.platon/local-server.json` while it is up; other runs (openLocalPostgres) then connect to
 * that server instead of failing on the lock, and leave it running when they end.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { acquireLock, LockBusyError, type LockOwner } from '../local/exclusive-lock.js';
import { writePrivateFileAtomic } from '../local/private-files.js';
import { generatePassword } from '../secrets/password.js';
import { startEmbedded, type EmbeddedServer } from './embedded.js';
import { postmasterState, stopPostmaster } from './postmaster.js';
import { runningAsRoot, unreachableAncestor } from './run-as-root.js';
import { postgresUri } from './uri.js';

export interface LocalPostgresOptions {
  readonly root: string;
  /** The local instance file's port; 0 = any free port. */
  readonly port: number;
  readonly adminUser: string;
  readonly adminDatabase: string;
  /** Extra flags (tests pass `--no-sync` and `-c fsync=off`: their clusters are thrown away). */
  readonly postgresFlags?: readonly string[];
  readonly initdbFlags?: readonly string[];
  /** Progress for people: the first start initialises a cluster, which takes a moment. */
  readonly progress?: (message: string) => void;
  /** Serve other runs while this one holds the instance (local-server): record where it listens. */
  readonly serve?: boolean;
}

/** Another run holds the local instance (and serves nobody else). */
export class LocalInstanceBusyError extends Error {
  constructor(readonly owner: LockOwner | null, cause: LockBusyError) {
    super(`the local instance is in use by another platon-db run (${cause.message})`, { cause });
    this.name = 'LocalInstanceBusyError';
  }
}

/** The local instance as a run uses it: started by this run, or the one a local-server serves. */
export interface LocalPostgres {
  readonly host: string;
  readonly port: number;
  readonly adminUrl: string;
  /** Whether another run (a local-server) serves it; stop then leaves it running. */
  readonly shared: boolean;
  stop(): Promise<void>;
}

/** Where a serving run listens: `<root>/.platon/local-server.json`. */
interface ServingRecord {
  readonly pid: number;
  readonly machine: string;
  readonly host: string;
  readonly port: number;
}

const SERVER_FILE = 'local-server.json';
const PASSWORDS_FILE = 'local-postgres.json';

interface LocalPasswords {
  readonly superuserPassword: string;
  readonly admin: { readonly user: string; readonly password: string };
}

/**
 * The local instance for one run: started by it, or, while `local-server` holds it, the server
 * that one runs (with the admin's password from .platon/local-postgres.json).
 */
export async function openLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  try {
    return { ...(await startLocalPostgres(options)), shared: false };
  } catch (error) {
    if (!(error instanceof LocalInstanceBusyError) || options.serve) throw error;
    const stateDir = join(resolve(options.root), '.platon');
    const serving = await servingRecord(stateDir, error.owner);
    if (!serving) throw error;
    const { admin } = await loadPasswords(join(stateDir, PASSWORDS_FILE), options.adminUser, await localDataDir(options.root), { create: false });
    const adminUrl = postgresUri({ user: admin.user, password: admin.password, host: serving.host, port: serving.port, database: options.adminDatabase });
    return { host: serving.host, port: serving.port, adminUrl, shared: true, stop: async () => undefined };
  }
}

/** The serving record, if the live run that holds the lock wrote it (a killed server's is stale). */
async function servingRecord(stateDir: string, owner: LockOwner | null): Promise<ServingRecord | null> {
  try {
    const record = JSON.parse(await readFile(join(stateDir, SERVER_FILE), 'utf8')) as ServingRecord;
    return owner && record.pid === owner.pid && record.machine === owner.host && Number.isInteger(record.port) ? record : null;
  } catch {
    return null;
  }
}

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<EmbeddedServer> {
  const stateDir = join(resolve(options.root), '.platon');
  await mkdir(stateDir, { recursive: true });
  const release = await lockRun(join(stateDir, 'local-postgres.lock'));
  const serverFile = join(stateDir, SERVER_FILE);
  try {
    await rm(serverFile, { force: true }); // a killed local-server's
    const dataDir = await localDataDir(options.root);
    if (dirname(dataDir) !== stateDir) await makeFallbackBase(dirname(dataDir));
    await stopOrphan(dataDir, options.progress);
    const passwords = await loadPasswords(join(stateDir, PASSWORDS_FILE), options.adminUser, dataDir, { create: true });
    const logFile = join(stateDir, 'postgres.log');
    await writeFile(logFile, '', { mode: 0o600 }); // one run's log: what explains this run's failure
    options.progress?.(`starting the local PostgreSQL (data in ${dataDir}, log in ${logFile})`);
    const server = await startEmbedded({
      dataDir,
      port: options.port,
      persistent: true,
      superuserPassword: passwords.superuserPassword,
      admin: passwords.admin,
      adminDatabase: options.adminDatabase,
      postgresFlags: options.postgresFlags,
      initdbFlags: options.initdbFlags,
      logFile,
    });
    if (!options.serve) return { ...server, stop: () => server.stop().finally(release) };
    const record: ServingRecord = { pid: process.pid, machine: hostname(), host: server.host, port: server.port };
    await writePrivateFileAtomic(serverFile, `${JSON.stringify(record)}\n`).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    return { ...server, stop: () => rm(serverFile, { force: true }).then(() => server.stop()).finally(release) };
  } catch (error) {
    await release();
    throw error;
  }
}

async function lockRun(path: string): Promise<() => Promise<void>> {
  try {
    return await acquireLock(path, { timeoutMs: 0 });
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
    throw new LocalInstanceBusyError(error.owner, error);
  }
}

/**
 * `<root>/.platon/pg`, unless (as root) the `postgres` user cannot reach it, e.g. a checkout under
 * /root (0700). Then a folder in the temp directory named by a hash of the root, so each checkout
 * keeps its own cluster; it lasts as long as the temp directory does.
 */
export async function localDataDir(root: string): Promise<string> {
  const preferred = join(resolve(root), '.platon', 'pg');
  if (!runningAsRoot() || (await unreachableAncestor(preferred)) === null) return preferred;
  return join(tmpdir(), `platon-db-${createHash('sha256').update(resolve(root)).digest('hex').slice(0, 12)}`, 'pg');
}

async function makeFallbackBase(base: string): Promise<void> {
  await mkdir(base, { recursive: true });
  await chmod(base, 0o755); // whatever the umask: the postgres user must enter it
}

/** We hold the run lock, so a server still running on our data folder belongs to a dead run. */
async function stopOrphan(dataDir: string, progress?: (message: string) => void): Promise<void> {
  const state = await postmasterState(dataDir);
  if (state.state !== 'running') return;
  progress?.(`stopping PostgreSQL (pid ${state.pid}) left running by an earlier run`);
  await stopPostmaster(state.pid);
}

async function loadPasswords(file: string, adminUser: string, dataDir: string, mode: { readonly create: boolean }): Promise<LocalPasswords> {
  let stored: LocalPasswords | null = null;
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as LocalPasswords;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}`, { cause: error });
  }
  if (!stored && existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new Error(`${file} is missing, so the local cluster at ${dataDir} cannot be administered: remove that folder to start afresh`);
  }
  if (stored?.admin.user === adminUser) return stored;
  if (!mode.create) {
    // Another run serves the cluster: a new admin is bootstrapped only by a run that starts it.
    throw new Error(`the running local-server administers the local instance as ${stored?.admin.user ?? 'nobody'}, not ${adminUser} as the instance file says: restart local-server`);
  }
  // A new cluster, or the instance file names another admin: a password for it (the bootstrap creates the role).
  const passwords: LocalPasswords = {
    superuserPassword: stored?.superuserPassword ?? generatePassword(),
    admin: { user: adminUser, password: generatePassword() },
  };
  await writePrivateFileAtomic(file, `${JSON.stringify(passwords, null, 2)}\n`);
  return passwords;
}
