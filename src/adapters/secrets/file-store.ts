/**
 * The local instance's secret store: one JSON file per secret with its whole version history,
 * the file-system twin of Vault KV v2 (versions, compare-and-set, cas 0 = only if absent).
 *
 * Files are 0600 and folders 0700. A write holds `<file>.lock` (created exclusively) while it
 * checks the version and renames the new content into place, so two runs can never both write
 * version 1, and a reader never sees a half-written file.
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, normalize, posix, resolve, sep } from 'node:path';
import type { SecretRef } from '../../model/change.js';
import type { SecretBackend } from '../../model/spec.js';
import {
  SecretConflictError,
  type Credentials,
  type RotationPhase,
  type SecretStatus,
  type SecretStore,
  type StoredSecret,
} from '../../model/secret-store.js';
import { acquireLock } from '../local/exclusive-lock.js';
import { mkdirPrivate, writePrivateFileAtomic } from '../local/private-files.js';
import { fillSecretPath } from './secret-path.js';

export type FileBackend = Extract<SecretBackend, { store: 'file' }>;

/** One entry of a secret's history; earlier versions are kept, as Vault keeps them. */
export interface SecretVersion {
  readonly version: number;
  /** ISO 8601. */
  readonly created: string;
  readonly credentials: Credentials;
}

interface SecretFile {
  readonly versions: readonly SecretVersion[];
  /** The last rotation mark (see SecretStore.markRotation); absent until a rotation ran. */
  readonly rotation?: { readonly version: number; readonly phase: RotationPhase };
}

export interface FileStoreContext {
  /** The repository root; `backend.directory` is relative to it. */
  readonly root: string;
  /** Fills `{instance}` in the path template. */
  readonly instance: string;
  /** How long a write waits for another writer's lock. */
  readonly lockTimeoutMs?: number;
}

export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  private readonly directory: string;

  constructor(
    private readonly backend: FileBackend,
    private readonly context: FileStoreContext,
  ) {
    if (isAbsolute(backend.directory) || normalize(backend.directory).split(sep).includes('..')) {
      throw new Error(`secrets directory must be inside the repository: ${backend.directory}`);
    }
    this.directory = resolve(context.root, backend.directory);
  }

  /** `path` is relative to the repository root, e.g. `.platon/secrets/local/studentweb/rw.json`. */
  refFor(database: string, user: 'rw' | 'ro'): SecretRef {
    const relative = fillSecretPath(this.backend.pathTemplate, { instance: this.context.instance, database, user });
    const path = posix.join(this.backend.directory.split(sep).join('/'), `${relative}.json`);
    return { store: this.kind, path, database, user };
  }

  async status(ref: SecretRef): Promise<SecretStatus> {
    const latest = await this.read(ref);
    return latest === null ? 'absent' : latest.rotationPending ? 'rotation-pending' : 'present';
  }

  async read(ref: SecretRef): Promise<StoredSecret | null> {
    const { versions, rotation } = await this.load(ref);
    const latest = versions.at(-1);
    if (!latest) return null;
    const pending = rotation?.phase === 'pending' && rotation.version === latest.version;
    return { credentials: latest.credentials, version: latest.version, ...(pending ? { rotationPending: true } : {}) };
  }

  /** Every version written, oldest first; empty when the secret does not exist. */
  async versions(ref: SecretRef): Promise<readonly SecretVersion[]> {
    return (await this.load(ref)).versions;
  }

  async write(ref: SecretRef, credentials: Credentials, expectedVersion: number): Promise<number> {
    return this.update(ref, (content) => {
      const current = content.versions.at(-1)?.version ?? 0;
      if (current !== expectedVersion) throw new SecretConflictError(ref);
      const next: SecretVersion = { version: current + 1, created: new Date().toISOString(), credentials };
      return [{ ...content, versions: [...content.versions, next] }, next.version];
    });
  }

  async markRotation(ref: SecretRef, version: number, phase: RotationPhase): Promise<void> {
    await this.update(ref, (content) => [{ ...content, rotation: { version, phase } }, undefined]);
  }

  async delete(ref: SecretRef): Promise<void> {
    const file = this.fileOf(ref);
    const release = await acquireLock(`${file}.lock`, { timeoutMs: this.context.lockTimeoutMs ?? 10_000 }).catch((error: unknown) => {
      // No folder, no secret: nothing to delete.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
    try {
      await rm(file, { force: true });
    } finally {
      await release?.();
    }
  }

  private async load(ref: SecretRef): Promise<SecretFile> {
    let text: string;
    try {
      text = await readFile(this.fileOf(ref), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { versions: [] };
      throw error;
    }
    return parseSecretFile(text, ref.path);
  }

  /** Read, change and replace the file under its lock, so no two writers interleave. */
  private async update<T>(ref: SecretRef, change: (content: SecretFile) => [SecretFile, T]): Promise<T> {
    const file = this.fileOf(ref);
    // The store's folder and below are 0700; what holds it (`.platon/`) keeps the default mode.
    await mkdirPrivate(dirname(this.directory), dirname(file));
    const release = await acquireLock(`${file}.lock`, { timeoutMs: this.context.lockTimeoutMs ?? 10_000 });
    try {
      const [content, result] = change(await this.load(ref));
      await writePrivateFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
      return result;
    } finally {
      await release();
    }
  }

  /** The absolute file of a ref, refusing refs that point outside this store's directory. */
  private fileOf(ref: SecretRef): string {
    const file = resolve(this.context.root, ref.path);
    if (!file.startsWith(this.directory + sep) || !file.endsWith('.json')) {
      throw new Error(`secret ${ref.path} is not in the file store at ${this.backend.directory}`);
    }
    return file;
  }
}

function parseSecretFile(text: string, path: string): SecretFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`secret file ${path} is not valid JSON`, { cause: error });
  }
  const { versions, rotation } = (parsed ?? {}) as Partial<SecretFile>;
  if (!Array.isArray(versions) || versions.some((v) => typeof v?.version !== 'number' || !v.credentials)) {
    throw new Error(`secret file ${path} has no valid "versions" list`);
  }
  return rotation ? { versions, rotation } : { versions };
}
