/** Whether a process id is in use on this host (signal 0 checks without signalling). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (e.g. the `postgres` user's postmaster).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
