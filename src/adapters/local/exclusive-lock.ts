/**
 * A lock file created with O_EXCL ('wx'): of any number of processes, exactly one creates it.
 * It records its owner's pid and host, so a lock left by a killed process is recognised and broken.
 */
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { processIsAlive } from './process-alive.js';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** The lock is held by a live process (or one on another host) for longer than we waited. */
export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly owner: LockOwner | null,
  ) {
    super(`${path} is held by ${owner ? `process ${owner.pid} on ${owner.host} since ${owner.since}` : 'another process'}`);
    this.name = 'LockBusyError';
  }
}

export interface LockOptions {
  /** How long to wait for a live owner to release it; 0 = fail at once. */
  readonly timeoutMs: number;
}

/** Resolves to a release function once this process holds the lock. */
export async function acquireLock(path: string, options: LockOptions): Promise<() => Promise<void>> {
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(path, me)) return () => release(path);
    const owner = await readOwner(path);
    if (await isStale(path, owner)) {
      await breakLock(path);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(path, owner);
    // Short, jittered waits: secret writes hold the lock for a few milliseconds.
    await sleep(Math.min(5 * 2 ** Math.min(attempt, 5), 100) * (0.5 + Math.random()));
  }
}

async function tryCreate(path: string, me: LockOwner): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(me));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : null;
  } catch {
    return null; // gone, or its owner has created it but not written it yet
  }
}

async function isStale(path: string, owner: LockOwner | null): Promise<boolean> {
  if (owner) return owner.host === hostname() && !processIsAlive(owner.pid);
  // No readable owner: only a process killed between create and write leaves that for long.
  try {
    return Date.now() - (await stat(path)).mtimeMs > 10_000;
  } catch {
    return false;
  }
}

/**
 * Renaming first means only one of several processes that found the same stale lock removes it.
 * (One that read the old owner just before another broke the lock and a third took it could still
 * rename the third's lock away: it needs a crash and three racing processes within milliseconds,
 * which a local, single-user store accepts.)
 */
async function breakLock(path: string): Promise<void> {
  const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
    await unlink(aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function release(path: string): Promise<void> {
  const owner = await readOwner(path);
  if (owner?.pid === process.pid && owner.host === hostname()) await unlink(path).catch(() => undefined);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
