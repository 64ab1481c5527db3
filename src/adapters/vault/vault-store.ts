/**
 * Credentials in HashiCorp Vault's KV version 2 engine, through node-vault. node-vault does not
 * wrap KV v2, so the API paths (`<mount>/data/<path>`, `<mount>/metadata/<path>`) and payloads
 * (`{options: {cas}, data}`) are built here.
 *
 * - read: the latest version; 404 with an empty error list is "absent", as is a latest version
 *   that someone deleted (then the next write continues after it, see `write`).
 * - write: always with `cas`, so two runs can never both create or rotate a password; a CAS
 *   mismatch (400) is a SecretConflictError.
 * - rotation marks live in the secret's custom metadata (`platon-db-rotation`), not in its
 *   versions, so they never add a version a team might read.
 */
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
import { fillSecretPath } from '../secrets/secret-path.js';
import { authenticator, type Env } from './vault-auth.js';
import { errorsOf, isCasMismatch, statusOf, VaultError } from './vault-errors.js';
import { VaultSession } from './vault-session.js';

export type VaultBackend = Extract<SecretBackend, { store: 'vault' }>;

export interface VaultStoreContext {
  /** Fills `{instance}` in the path template. */
  readonly instance: string;
  /** VAULT_ADDR (overrides the instance file's address), credentials for the auth method. */
  readonly env: Env;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
  /** The clock token renewal runs on (tests move it). */
  readonly now?: () => number;
  /** For the GitHub Actions OIDC token request (tests replace it). */
  readonly fetch?: typeof fetch;
}

/** The custom-metadata key holding `<phase>:<version>` of the last rotation. */
export const ROTATION_KEY = 'platon-db-rotation';

interface KvRead {
  data?: { data?: Record<string, unknown> | null; metadata?: { version?: number; custom_metadata?: Record<string, string> | null } };
}

/** What KV v2 answers at `<mount>/metadata/<path>` (the parts we read). */
interface KvMetadata {
  data?: {
    current_version?: number;
    custom_metadata?: Record<string, string> | null;
    versions?: Record<string, { deletion_time?: string; destroyed?: boolean }>;
  };
}

export class VaultSecretStore implements SecretStore {
  readonly kind = 'vault';
  readonly address: string;
  private readonly session: VaultSession;

  constructor(
    private readonly backend: VaultBackend,
    private readonly context: VaultStoreContext,
  ) {
    this.address = (context.env.VAULT_ADDR || backend.address).replace(/\/+$/, '');
    const timeoutMs = context.timeoutMs ?? 10_000;
    const auth = authenticator(backend.auth, { env: context.env, address: this.address, timeoutMs, fetch: context.fetch });
    this.session = new VaultSession(auth, { address: this.address, env: context.env, timeoutMs, now: context.now ?? Date.now });
  }

  /** `path` is `<mount>/<path>`, as `vault kv get` takes it, e.g. `secret/platon/rds/shared-pg15/a/rw`. */
  refFor(database: string, user: 'rw' | 'ro'): SecretRef {
    const relative = fillSecretPath(this.backend.pathTemplate, { instance: this.context.instance, database, user });
    return { store: this.kind, path: `${this.backend.mount}/${relative}`, database, user };
  }

  async read(ref: SecretRef): Promise<StoredSecret | null> {
    const path = this.apiPath(ref, 'data');
    const body = await this.session.call(`reading ${ref.path}`, { capability: 'read', path }, (client): Promise<KvRead | null> =>
      client.read(path).catch(absent(this.backend.mount)),
    );
    if (!body?.data?.data) return null;
    const version = body.data.metadata?.version;
    if (typeof version !== 'number') throw malformed(ref, 'no version');
    const pending = body.data.metadata?.custom_metadata?.[ROTATION_KEY] === `pending:${version}`;
    return { credentials: credentialsOf(body.data.data, ref), version, ...(pending ? { rotationPending: true } : {}) };
  }

  /**
   * From the metadata only (`<mount>/metadata/<path>`), so a plan role with a metadata-only
   * policy can tell which users have a secret without ever reading a password.
   */
  async status(ref: SecretRef): Promise<SecretStatus> {
    const body = await this.metadata(ref);
    const current = body?.data?.current_version;
    const latest = current === undefined || current === 0 ? undefined : body?.data?.versions?.[String(current)];
    if (!latest || latest.destroyed || latest.deletion_time) return 'absent';
    return body?.data?.custom_metadata?.[ROTATION_KEY] === `pending:${current}` ? 'rotation-pending' : 'present';
  }

  async write(ref: SecretRef, credentials: Credentials, expectedVersion: number): Promise<number> {
    const path = this.apiPath(ref, 'data');
    /**
     * The version written, or null on a CAS mismatch (400). Vault wants `create` for a secret
     * without metadata (a first write, usually) and `update` for one that has it.
     */
    const post = (cas: number) =>
      this.session.call(
        `writing ${ref.path}`,
        { capability: cas === 0 ? 'create' : 'update', path },
        (client): Promise<number | null> =>
          client.write(path, { options: { cas }, data: { ...credentials } }).then(
            (response: { data?: { version?: number } }) => versionOf(response, ref),
            (error: unknown) => {
              if (isCasMismatch(error)) return null;
              throw error;
            },
          ),
        [credentials.password, credentials.uri],
      );
    const written = await post(expectedVersion);
    if (written !== null) return written;
    // "Only if absent" also holds when the latest version was deleted: continue after it.
    const deleted = expectedVersion === 0 ? await this.deletedLatest(ref) : undefined;
    const retried = deleted === undefined ? null : await post(deleted);
    if (retried === null) throw new SecretConflictError(ref);
    return retried;
  }

  async markRotation(ref: SecretRef, version: number, phase: RotationPhase): Promise<void> {
    const path = this.apiPath(ref, 'metadata');
    const custom_metadata = { [ROTATION_KEY]: `${phase}:${version}` };
    const what = `recording the rotation of ${ref.path}`;
    // PATCH merges, keeping metadata others set; it needs the entry to exist (else a bare 404),
    // POST creates it. Vault checks `patch` for the one and `create` for the other.
    const patched = await this.session.call(what, { capability: 'patch', path }, (client) =>
      client.update(path, { custom_metadata }).then(
        () => true,
        (error: unknown) => {
          if (statusOf(error) === 404) return false;
          throw error;
        },
      ),
    );
    if (!patched) await this.session.call(what, { capability: 'create', path }, (client) => client.write(path, { custom_metadata }));
  }

  /** KV v2's metadata delete removes every version and the metadata; Vault answers 204 when absent too. */
  async delete(ref: SecretRef): Promise<void> {
    const path = this.apiPath(ref, 'metadata');
    await this.session.call(`deleting ${ref.path}`, { capability: 'delete', path }, (client) => client.delete(path).catch(absent(this.backend.mount)));
  }

  /** The current version when the latest one is deleted or destroyed, else undefined. */
  private async deletedLatest(ref: SecretRef): Promise<number | undefined> {
    const body = await this.metadata(ref);
    const current = body?.data?.current_version;
    const latest = current === undefined ? undefined : body?.data?.versions?.[String(current)];
    return latest && (latest.destroyed || latest.deletion_time) ? current : undefined;
  }

  /** The secret's KV v2 metadata, or null when there is none. */
  private async metadata(ref: SecretRef): Promise<KvMetadata | null> {
    const path = this.apiPath(ref, 'metadata');
    return (await this.session.call(`reading the metadata of ${ref.path}`, { capability: 'read', path }, (client) =>
      client.read(path).catch(absent(this.backend.mount)),
    )) as KvMetadata | null;
  }

  /** `<mount>/<data|metadata>/<path>`, refusing refs that are not in this store's mount. */
  private apiPath(ref: SecretRef, kind: 'data' | 'metadata'): string {
    const prefix = `${this.backend.mount}/`;
    const relative = ref.path.startsWith(prefix) ? ref.path.slice(prefix.length) : '';
    const segments = relative.split('/');
    if (ref.store !== this.kind || segments.some((s) => s === '' || s === '.' || s === '..')) {
      throw new Error(`secret ${ref.path} is not in the Vault mount ${this.backend.mount}`);
    }
    return `${this.backend.mount}/${kind}/${segments.map(encodeURIComponent).join('/')}`;
  }
}

/**
 * KV v2 answers an absent secret with 404 and `{"errors":[]}` (a deleted latest version: 404 and
 * no error list); a 404 that names an error ("no handler for route") means a wrong mount.
 */
const absent =
  (mount: string) =>
  (error: unknown): null => {
    if (statusOf(error) !== 404) throw error;
    if (!errorsOf(error)?.length) return null;
    throw new VaultError('config', `Vault has no KV version 2 engine mounted at ${mount} (HTTP 404)`, 'check secrets.mount in the instance file', 404);
  };

function versionOf(response: { data?: { version?: number } }, ref: SecretRef): number {
  const version = response.data?.version;
  if (typeof version !== 'number') throw malformed(ref, 'no version in the answer to a write');
  return version;
}

/** The secret's fields, checked; never echoes a value. `port` may be text if written by hand. */
function credentialsOf(data: Record<string, unknown>, ref: SecretRef): Credentials {
  const text = (name: string): string => {
    const value = data[name];
    if (typeof value !== 'string' || value === '') throw malformed(ref, `no ${name}`);
    return value;
  };
  const [username, password, host, database, uri] = ['username', 'password', 'host', 'database', 'uri'].map(text) as [string, string, string, string, string];
  const port = typeof data.port === 'string' ? Number(data.port) : data.port;
  if (typeof port !== 'number' || !Number.isInteger(port)) throw malformed(ref, 'no port');
  return { username, password, host, port, database, uri };
}

const malformed = (ref: SecretRef, what: string) =>
  new VaultError('unexpected', `the secret at ${ref.path} is not one platon-db wrote (${what})`, 'fix it with vault kv put, or delete it so the next apply issues a new one');
