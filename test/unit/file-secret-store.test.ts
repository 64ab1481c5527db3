import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { SecretConflictError } from '../../src/model/secret-store.js';

const backend = { store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' } as const;
const creds = (password: string) =>
  buildCredentials({ username: 'studentweb_rw', password, host: 'localhost', port: 5432, database: 'studentweb' });

let root: string;
let store: FileSecretStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'platon-file-store-'));
  store = new FileSecretStore(backend, { root, instance: 'local' });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('FileSecretStore', () => {
  it('names a file per instance, database and user, relative to the root', () => {
    expect(store.refFor('studentweb', 'ro')).toEqual({
      store: 'file',
      path: '.platon/secrets/local/studentweb/ro.json',
      database: 'studentweb',
      user: 'ro',
    });
  });

  it('reads null for an absent secret and writes version 1 with cas 0', async () => {
    const ref = store.refFor('studentweb', 'rw');
    expect(await store.read(ref)).toBeNull();
    expect(await store.write(ref, creds('p1'), 0)).toBe(1);
    expect(await store.read(ref)).toEqual({ version: 1, credentials: creds('p1') });
  });

  it('refuses cas 0 when the secret exists, and a stale expected version', async () => {
    const ref = store.refFor('studentweb', 'rw');
    await store.write(ref, creds('p1'), 0);
    await expect(store.write(ref, creds('p2'), 0)).rejects.toBeInstanceOf(SecretConflictError);
    await store.write(ref, creds('p2'), 1);
    await expect(store.write(ref, creds('p3'), 1)).rejects.toThrow(/written by another run/);
    expect((await store.read(ref))?.credentials.password).toBe('p2');
  });

  it('keeps earlier versions in the file', async () => {
    const ref = store.refFor('studentweb', 'rw');
    await store.write(ref, creds('p1'), 0);
    await store.write(ref, creds('p2'), 1);
    const versions = await store.versions(ref);
    expect(versions.map((v) => [v.version, v.credentials.password])).toEqual([[1, 'p1'], [2, 'p2']]);
    expect(Date.parse(versions[0]!.created)).not.toBeNaN();
    const onDisk = JSON.parse(await readFile(join(root, ref.path), 'utf8'));
    expect(onDisk.versions).toHaveLength(2);
  });

  it('makes files 0600 and folders 0700, and leaves no lock or temp file behind', async () => {
    const ref = store.refFor('studentweb', 'rw');
    await store.write(ref, creds('p1'), 0);
    await store.write(ref, creds('p2'), 1);
    const mode = async (p: string) => (await stat(join(root, p))).mode & 0o777;
    expect(await mode(ref.path)).toBe(0o600);
    for (const dir of ['.platon/secrets', '.platon/secrets/local', '.platon/secrets/local/studentweb']) {
      expect(await mode(dir)).toBe(0o700);
    }
    expect(await readdir(join(root, '.platon/secrets/local/studentweb'))).toEqual(['rw.json']);
  });

  it('lets exactly one of many concurrent cas-0 writers win', async () => {
    const ref = store.refFor('studentweb', 'rw');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => new FileSecretStore(backend, { root, instance: 'local' }).write(ref, creds(`p${i}`), 0)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof SecretConflictError)).toBe(true);
    expect(await store.versions(ref)).toHaveLength(1);
  });

  it('lets exactly one of two processes win', async () => {
    const writers = ['a', 'b'].map((password) => writer(root, password));
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    expect((await Promise.all(writers.map((w) => w.result))).sort()).toEqual(['conflict', 'won']);
    expect(await store.versions(store.refFor('race', 'rw'))).toHaveLength(1);
  });

  it('refuses refs and templates that would leave its folder', async () => {
    expect(() => store.refFor('../x', 'rw')).toThrow(/cannot put/);
    await expect(store.read({ store: 'file', path: '.platon/other.json', database: 'x', user: 'rw' })).rejects.toThrow(/not in the file store/);
    expect(() => new FileSecretStore({ ...backend, directory: '../elsewhere' }, { root, instance: 'local' })).toThrow(/inside the repository/);
  });
});

/** A secret-writer child process (test/support/secret-writer.ts), released by `go()`. */
function writer(root: string, password: string) {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'test/support/secret-writer.ts', root, '0', password], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('ready\n')) resolve();
    }),
  );
  const result = new Promise<string>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(out.replace('ready\n', '').trim()) : reject(new Error(`writer exited ${code}`)))),
  );
  return { ready, result, go: () => child.stdin.write('go\n') };
}
