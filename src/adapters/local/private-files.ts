/** Files only the owner may read: secrets and the local instance's passwords. */
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/**
 * Creates `dir` and its missing parents up to (not including) `base` with mode 0700. `base` and
 * above keep the default mode: the local instance's data folder under `.platon/` must stay
 * reachable by the `postgres` user when running as root.
 */
export async function mkdirPrivate(base: string, dir: string): Promise<void> {
  await mkdir(base, { recursive: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/**
 * Writes `path` (mode 0600) so that readers see the old or the new content, never a partial one:
 * a temporary file in the same folder, flushed, then renamed over the target.
 */
export async function writePrivateFileAtomic(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    // The umask can only remove bits from 0600, but a chmod makes the mode independent of it.
    await handle.chmod(0o600);
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temp, path);
}
