/**
 * The local instance's own embedded servers (not the run's shared one): a cluster that survives
 * runs, passwords kept in .platon/, and recovery from a run killed without any cleanup.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDataDir, startLocalPostgres } from '../../src/adapters/postgres/local-postgres.js';
import { postmasterState, stopPostmaster } from '../../src/adapters/postgres/postmaster.js';
import { adminUrl, superuserUrl, withClient } from '../support/postgres.js';
import { LOCAL_TEST_OPTIONS } from '../support/local-postgres-child.js';

const options = (root: string) => ({ root, ...LOCAL_TEST_OPTIONS });
const isRoot = process.getuid?.() === 0;

/** A fresh repository root per test, so the tests (each ~1 s, mostly initdb) run concurrently. */
async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'platon-local-'));
  await chmod(root, 0o755); // as a checkout under /work would be
  try {
    await fn(root);
  } finally {
    const state = await postmasterState(await localDataDir(root));
    if (state.state === 'running') await stopPostmaster(state.pid);
    await rm(root, { recursive: true, force: true });
  }
}

describe.concurrent('startLocalPostgres', () => {
  it('keeps the cluster and the admin password in .platon/ across runs, past a stale pid file', () => withRoot(async (root) => {
    const first = await startLocalPostgres(options(root));
    expect(first.created).toBe(true);
    expect(first.dataDir).toBe(join(root, '.platon', 'pg'));
    await withClient(first.adminUrl, (c) => c.query('CREATE DATABASE kept'));
    await first.stop();
    expect((await stat(join(root, '.platon', 'local-postgres.json'))).mode & 0o777).toBe(0o600);

    const second = await startLocalPostgres(options(root));
    expect(second.created).toBe(false);
    expect(new URL(second.adminUrl).password).toBe(new URL(first.adminUrl).password);
    const names = await withClient(second.adminUrl, async (c) => (await c.query('SELECT datname FROM pg_database')).rows.map((r) => r.datname));
    expect(names).toContain('kept');
    await second.stop();

    // A killed server's pid file whose pid now belongs to another process of the same user (here
    // a backend of the run's server; against PLATON_DATABASE_URL that is remote, so this process):
    // PostgreSQL alone refuses to start ("lock file already exists").
    await withClient(adminUrl(), async (c) => {
      const { pid } = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;
      await writeFile(join(second.dataDir, 'postmaster.pid'), `${superuserUrl() ? pid : process.pid}\n${second.dataDir}\n`);
      await (await startLocalPostgres(options(root))).stop();
    });
  }));

  it('refuses a second concurrent run, then recovers from a run killed with SIGKILL', () => withRoot(async (root) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'test/support/local-postgres-child.ts', root], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    await expect(startLocalPostgres(options(root))).rejects.toThrow(/in use by another platon-db run/);

    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    // The killed run's server is still running: the next run must stop it and start its own.
    const orphan = await postmasterState(join(root, '.platon', 'pg'));
    expect(orphan.state).toBe('running');

    const next = await startLocalPostgres(options(root));
    expect(next.created).toBe(false);
    await withClient(next.adminUrl, (c) => c.query('SELECT 1'));
    await next.stop();
  }));

  it.skipIf(!isRoot)('falls back to a temp folder when the postgres user cannot reach .platon (as root)', () => withRoot(async (root) => {
    await chmod(root, 0o700);
    const dir = await localDataDir(root);
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(dir).not.toContain(root);
    expect(await localDataDir(root)).toBe(dir); // the same folder every run
  }));
});
