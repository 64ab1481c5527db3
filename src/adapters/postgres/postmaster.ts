/**
 * The `postmaster.pid` file of a data folder: tells a running server from one a killed run left
 * behind. PostgreSQL ignores a stale file only when its pid is unused; if the pid was reused by
 * another process it refuses to start, so a stale file is removed here.
 */
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { processIsAlive } from '../local/process-alive.js';

export type PostmasterState =
  | { readonly state: 'none' }
  | { readonly state: 'stale'; readonly pid: number }
  | { readonly state: 'running'; readonly pid: number };

export async function postmasterState(dataDir: string): Promise<PostmasterState> {
  let text: string;
  try {
    text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return { state: 'none' };
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return { state: 'stale', pid: 0 };
  return (await isPostmasterOf(pid, dataDir)) ? { state: 'running', pid } : { state: 'stale', pid };
}

export async function removeStalePostmasterPid(dataDir: string): Promise<void> {
  if ((await postmasterState(dataDir)).state === 'stale') {
    await unlink(join(dataDir, 'postmaster.pid')).catch(() => undefined);
  }
}

/**
 * Stops a server running on `dataDir` that no live run owns (its run was killed with SIGKILL):
 * SIGINT is PostgreSQL's fast shutdown; SIGQUIT (immediate, crash recovery on next start) only if
 * that does not finish in time.
 */
export async function stopPostmaster(pid: number, timeoutMs = 15_000): Promise<void> {
  for (const signal of ['SIGINT', 'SIGQUIT'] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    const deadline = Date.now() + timeoutMs;
    while (processIsAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!processIsAlive(pid)) return;
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not stop`);
}

/** On Linux the command line names the data folder; elsewhere a live pid is taken at its word. */
async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  if (!processIsAlive(pid)) return false;
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return cmdline.some((arg) => arg.endsWith('postgres')) && cmdline.includes(dataDir);
  } catch {
    return process.platform !== 'linux';
  }
}
