/**
 * The local instance (`npm start`, `--instance local`): an embedded PostgreSQL whose cluster
 * lives under `<root>/.platon/pg` and survives runs. Its passwords are generated once and kept in
 * `<root>/.platon/local-postgres.json` (mode 0600; `.platon/` is git-ignored).
 *
 * One run at a time holds `<root>/.platon/local-postgres.lock`. A run killed with SIGKILL leaves
 * that lock and possibly a server still running: the next run sees the lock's owner is gone, stops
 * the orphaned server and starts its own.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { acquireLock, LockBusyError } from '../local/exclusive-lock.js';
import { writePrivateFileAtomic } from '../local/private-files.js';
import { generatePassword } from '../secrets/password.js';
import { startEmbedded, type EmbeddedServer } from './embedded.js';
import { postmasterState, stopPostmaster } from './postmaster.js';
import { runningAsRoot, unreachableAncestor } from './run-as-root.js';

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
}

interface LocalPasswords {
  readonly superuserPassword: string;
  readonly admin: { readonly user: string; readonly password: string };
}

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<EmbeddedServer> {
  const stateDir = join(resolve(options.root), '.platon');
  await mkdir(stateDir, { recursive: true });
  const release = await lockRun(join(stateDir, 'local-postgres.lock'));
  try {
    const dataDir = await localDataDir(options.root);
    if (dirname(dataDir) !== stateDir) await makeFallbackBase(dirname(dataDir));
    await stopOrphan(dataDir, options.progress);
    const passwords = await loadPasswords(join(stateDir, 'local-postgres.json'), options.adminUser, dataDir);
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
    return { ...server, stop: () => server.stop().finally(release) };
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
    throw new Error(`the local instance is in use by another platon-db run (${error.message})`, { cause: error });
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

async function loadPasswords(file: string, adminUser: string, dataDir: string): Promise<LocalPasswords> {
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
  // A new cluster, or the instance file names another admin: a password for it (the bootstrap creates the role).
  const passwords: LocalPasswords = {
    superuserPassword: stored?.superuserPassword ?? generatePassword(),
    admin: { user: adminUser, password: generatePassword() },
  };
  await writePrivateFileAtomic(file, `${JSON.stringify(passwords, null, 2)}\n`);
  return passwords;
}
