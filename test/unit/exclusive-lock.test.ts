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
    await (await acquireLock(path, { timeoutMs: 0 }))();
  });

  it('waits for a live owner to release', async () => {
    const path = join(dir, 'x.lock');
    const release = await acquireLock(path, { timeoutMs: 0 });
    setTimeout(() => void release(), 50);
    await (await acquireLock(path, { timeoutMs: 2_000 }))();
  });
});
