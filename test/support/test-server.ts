/**
 * The test run's one embedded PostgreSQL: a fresh cluster in a fresh folder (in RAM when there is
 * room), tuned for speed (no fsync: the data is thrown away), removed when the run ends. A run
 * killed with SIGKILL leaves its folder and server behind; the next run stops and removes them
 * (each folder records the pid of the run that owns it, so concurrent runs leave each other alone).
 */
import { access, chmod, constants, mkdtemp, readdir, readFile, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbedded, type EmbeddedServer } from '../../src/adapters/postgres/embedded.js';
import { postmasterState, stopPostmaster } from '../../src/adapters/postgres/postmaster.js';
import { processIsAlive } from '../../src/adapters/local/process-alive.js';
import { generatePassword } from '../../src/adapters/secrets/password.js';

const PREFIX = 'platon-db-test-';
export const TEST_ADMIN = 'platon_admin';

export async function startTestServer(): Promise<EmbeddedServer> {
  await sweepAbandoned();
  const base = await mkdtemp(join(await dataParent(), PREFIX));
  // mkdtemp makes 0700; as root the server runs as `postgres`, which must enter this folder.
  await chmod(base, 0o755);
  await writeFile(join(base, 'owner.pid'), String(process.pid));
  try {
    const server = await startEmbedded({
      dataDir: join(base, 'pg'),
      persistent: false,
      superuserPassword: generatePassword(),
      admin: { user: TEST_ADMIN, password: generatePassword() },
      initdbFlags: ['--no-sync'],
      postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
      logFile: join(base, 'server.log'),
      onLog: process.env.PLATON_TEST_PG_LOG ? (text) => process.stderr.write(text) : undefined,
    });
    return { ...server, stop: () => server.stop().finally(() => rm(base, { recursive: true, force: true })) };
  } catch (error) {
    await rm(base, { recursive: true, force: true });
    throw error;
  }
}

const SHM = '/dev/shm';

/**
 * RAM (/dev/shm) when it has room, else the temp folder. CREATE DATABASE copies template1 (about
 * 7.5 MB) and took 87 ms on this disk against 15 ms on tmpfs, with fsync off either way; the crash
 * tests create hundreds of databases. 4 GiB free is asked for because a container's default
 * /dev/shm (64 MB) would fill up; the data is thrown away at the end anyway. Test repositories go
 * here too: the file secret store syncs every write to disk.
 */
export async function dataParent(): Promise<string> {
  try {
    await access(SHM, constants.W_OK);
    const fs = await statfs(SHM);
    if (fs.bavail * fs.bsize >= 4 * 2 ** 30) return SHM;
  } catch {
    // No /dev/shm (macOS) or not writable: the temp folder works, only slower.
  }
  return tmpdir();
}

async function sweepAbandoned(): Promise<void> {
  for (const parent of new Set([tmpdir(), SHM])) {
    const names = await readdir(parent).catch(() => []);
    const ours = names.filter((name) => name.startsWith(PREFIX));
    await Promise.all(ours.map((name) => sweep(join(parent, name)).catch(() => undefined)));
  }
}

async function sweep(base: string): Promise<void> {
  const owner = Number(await readFile(join(base, 'owner.pid'), 'utf8').catch(() => ''));
  if (owner ? processIsAlive(owner) : Date.now() - (await stat(base)).mtimeMs < 60_000) return;
  const state = await postmasterState(join(base, 'pg'));
  if (state.state === 'running') await stopPostmaster(state.pid);
  await rm(base, { recursive: true, force: true });
}
