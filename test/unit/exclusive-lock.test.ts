import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, LockBusyError } from '../../src/adapters/local/exclusive-lock.js';

let dir: string;
beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'platon-lock-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('acquireLock', () => {
  it('is exclusive while held, and free after release', async () => {
    const path = join(dir, 'x.lock');
    const release = await acquireLock(path, { timeoutMs: 0 });
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
    await expect(acquireLock(path, { timeoutMs: 30 })).rejects.toBeInstanceOf(LockBusyError);
    await release();
    await (await acquireLock(path, { timeoutMs: 0 }))();
  });

  it('breaks a lock whose owner process is gone', async () => {
    const path = join(dir, 'x.lock');
    // pid 2^22 + 1 is above Linux's pid_max default, so no process has it.
    await writeFile(path, JSON.stringify({ pid: 4_194_305, host: hostname(), since: 'then' }));
    const release = await acquireLock(path, { timeoutMs: 0 });
    // The dead owner's record is replaced by ours: a third process now sees us as the holder.
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
    await expect(acquireLock(path, { timeoutMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    await release();
  });

  it('does not break a lock whose owner is alive, however old the lock', async () => {
    const path = join(dir, 'x.lock');
    // pid 1 (init) always exists; an apply can legitimately run for hours.
    await writeFile(path, JSON.stringify({ pid: 1, host: hostname(), since: '2000-01-01T00:00:00Z' }));
    const error = await acquireLock(path, { timeoutMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as LockBusyError).owner?.pid).toBe(1);
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(1);
  });

  it('waits for a live owner to release', async () => {
    const path = join(dir, 'x.lock');
    const release = await acquireLock(path, { timeoutMs: 0 });
    let released = false;
    setTimeout(() => void release().then(() => (released = true)), 50);
    const second = await acquireLock(path, { timeoutMs: 5_000 });
    // It got the lock only after the first holder let go, and now holds it itself.
    expect(released).toBe(true);
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
    await second();
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
