import { readFileSync } from 'node:fs';

/**
 * Whether a process id is in use on this host by a process that has not exited. Signal 0 checks
 * without signalling; on Linux a zombie (exited, not yet reaped) also counts as gone: in a
 * container whose pid 1 reaps slowly, a stopped postmaster stays a zombie for seconds.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user (e.g. the `postgres` user's postmaster).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // The state follows the command name, which is in parentheses and may itself contain them.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^\s*[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1));
  } catch {
    return false; // no /proc (not Linux): trust the signal check
  }
}
