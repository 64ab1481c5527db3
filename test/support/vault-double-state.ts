/**
 * The state behind the Vault test double (./vault-double.ts): tokens with TTLs and KV v2 secrets
 * with their versions and custom metadata. Plain data and rules, no HTTP; time comes from `now`
 * so tests can move it forward instead of waiting.
 */
import { randomBytes } from 'node:crypto';
import { Acl, type Policy } from './vault-double-acl.js';

export interface TokenOptions {
  /** Seconds until expiry; 0 = never (like a root token). */
  readonly ttlSeconds?: number;
  readonly renewable?: boolean;
  /** Renewals never extend the token past creation + this; 0 = no cap. */
  readonly maxTtlSeconds?: number;
  /**
   * The token's ACL policies (Vault takes the union; see ./vault-double-acl.ts). Absent: a root
   * token, every capability on every path.
   */
  readonly policies?: readonly Policy[];
  readonly displayName?: string;
}

export interface Token {
  readonly id: string;
  readonly accessor: string;
  readonly createdAt: number;
  readonly ttlSeconds: number;
  readonly renewable: boolean;
  readonly maxTtlSeconds: number;
  /** Undefined for a root token. */
  readonly acl?: Acl;
  readonly displayName: string;
  /** ms since the epoch; null = never. */
  expiresAt: number | null;
}

export interface KvVersion {
  readonly version: number;
  readonly created: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Set by a soft delete (`vault kv delete`): the version stays in the history, unreadable until undeleted. */
  deleted?: string;
  /**
   * Set by `vault kv destroy`: Vault removes the data for good (reads answer 404, `destroyed: true`).
   * The double keeps `data` only so that leak tests can still search every value ever written.
   */
  destroyed?: boolean;
}

export interface KvSecret {
  readonly versions: KvVersion[];
  customMetadata: Record<string, string> | null;
  /** The secret's own `cas_required` (metadata); the mount's setting applies too. */
  casRequired: boolean;
  readonly created: string;
  updated: string;
}

/** Why KV v2 refused a write (path_data.go, validateCheckAndSetOption), verbatim. */
export const CAS_MISMATCH = 'check-and-set parameter did not match the current version';
export const CAS_REQUIRED = 'check-and-set parameter required for this call';

const id = (prefix: string) => `${prefix}.${randomBytes(12).toString('base64url')}`;

export class TokenTable {
  private readonly tokens = new Map<string, Token>();

  constructor(private readonly now: () => number) {}

  issue(options: TokenOptions = {}): Token {
    const ttl = options.ttlSeconds ?? 0;
    const token: Token = {
      id: id('hvs'),
      accessor: id('acc'),
      createdAt: this.now(),
      ttlSeconds: ttl,
      renewable: options.renewable ?? ttl > 0,
      maxTtlSeconds: options.maxTtlSeconds ?? 0,
      ...(options.policies ? { acl: new Acl(options.policies) } : {}),
      displayName: options.displayName ?? 'token',
      expiresAt: ttl > 0 ? this.now() + ttl * 1000 : null,
    };
    this.tokens.set(token.id, token);
    return token;
  }

  /** The live token with this id, or undefined (unknown or expired: Vault says "permission denied"). */
  live(tokenId: string | undefined): Token | undefined {
    const token = tokenId === undefined ? undefined : this.tokens.get(tokenId);
    if (!token) return undefined;
    if (token.expiresAt !== null && token.expiresAt <= this.now()) {
      this.tokens.delete(token.id);
      return undefined;
    }
    return token;
  }

  expire(tokenId: string): void {
    this.tokens.delete(tokenId);
  }

  /** Seconds left, 0 for a token that never expires. */
  remaining(token: Token): number {
    return token.expiresAt === null ? 0 : Math.max(0, Math.ceil((token.expiresAt - this.now()) / 1000));
  }

  /** Extends by `increment` (default: the token's TTL), capped at its max TTL; the new lease in seconds. */
  renew(token: Token, increment?: number): number {
    if (token.expiresAt === null) return 0;
    let lease = increment ?? token.ttlSeconds;
    if (token.maxTtlSeconds > 0) {
      const cap = token.createdAt + token.maxTtlSeconds * 1000;
      lease = Math.max(0, Math.min(lease, Math.floor((cap - this.now()) / 1000)));
    }
    token.expiresAt = this.now() + lease * 1000;
    return lease;
  }
}

export class KvStore {
  private readonly secrets = new Map<string, KvSecret>();
  /** Every version ever written, also those `max_versions` dropped: what leak tests search for. */
  readonly written: { readonly key: string; readonly version: KvVersion }[] = [];

  constructor(
    private readonly now: () => number,
    /** Like KV v2's default `max_versions` of 10: older versions are dropped. */
    private readonly maxVersions: number,
  ) {}

  get(key: string): KvSecret | undefined {
    return this.secrets.get(key);
  }

  /**
   * Writes a version; `cas` as in KV v2 (0 = only if there is no version yet). A refused write
   * changes nothing (not even creating the metadata entry) and answers Vault's reason.
   */
  write(key: string, data: Record<string, unknown>, cas: number | undefined, mountCasRequired: boolean): KvVersion | typeof CAS_MISMATCH | typeof CAS_REQUIRED {
    const existing = this.secrets.get(key);
    const current = existing?.versions.at(-1)?.version ?? 0;
    if (cas !== undefined && cas !== current) return CAS_MISMATCH;
    if (cas === undefined && (mountCasRequired || existing?.casRequired)) return CAS_REQUIRED;
    const secret = this.ensure(key);
    const version: KvVersion = { version: current + 1, created: this.iso(), data: structuredClone(data) };
    secret.versions.push(version);
    this.written.push({ key, version });
    if (secret.versions.length > this.maxVersions) secret.versions.splice(0, secret.versions.length - this.maxVersions);
    secret.updated = version.created;
    return version;
  }

  /**
   * DELETE `<mount>/data/<path>` (`vault kv delete`): marks the latest version deleted. Nothing
   * to do (no secret, latest already deleted or destroyed) is no error: Vault answers 204 either way.
   */
  deleteLatest(key: string): void {
    const latest = this.secrets.get(key)?.versions.at(-1);
    if (latest && !latest.deleted && !latest.destroyed) latest.deleted = this.iso();
  }

  /** POST `<mount>/delete|undelete|destroy/<path>` with `versions`: soft delete, undo it, or destroy for good. */
  changeVersions(key: string, versions: readonly number[], change: 'delete' | 'undelete' | 'destroy'): void {
    for (const v of this.secrets.get(key)?.versions ?? []) {
      if (!versions.includes(v.version)) continue;
      if (change === 'destroy') v.destroyed = true;
      else if (change === 'delete' && !v.destroyed) v.deleted ??= this.iso();
      else if (change === 'undelete' && !v.destroyed) delete v.deleted;
    }
  }

  /** DELETE metadata (`vault kv metadata delete`): every version and the metadata are gone; absent is fine. */
  destroy(key: string): void {
    this.secrets.delete(key);
  }

  /** POST metadata: creates the entry if needed and replaces what is given. */
  putMetadata(key: string, fields: { customMetadata?: Record<string, string>; casRequired?: boolean }): void {
    const secret = this.ensure(key);
    if (fields.customMetadata !== undefined) secret.customMetadata = { ...fields.customMetadata };
    if (fields.casRequired !== undefined) secret.casRequired = fields.casRequired;
    secret.updated = this.iso();
  }

  /** PATCH metadata (JSON merge patch: null removes a key); false when there is no entry. */
  patchMetadata(key: string, patch: Record<string, string | null> | undefined): boolean {
    const secret = this.secrets.get(key);
    if (!secret) return false;
    if (patch) {
      const merged: Record<string, string> = { ...(secret.customMetadata ?? {}) };
      for (const [name, value] of Object.entries(patch)) {
        if (value === null) delete merged[name];
        else merged[name] = value;
      }
      secret.customMetadata = merged;
    }
    secret.updated = this.iso();
    return true;
  }

  /** LIST metadata: the next segment of every key under `prefix` (folders end in `/`), sorted. */
  list(prefix: string): string[] {
    const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
    const names = new Set<string>();
    for (const key of this.secrets.keys()) {
      if (!key.startsWith(folder)) continue;
      const rest = key.slice(folder.length);
      const slash = rest.indexOf('/');
      names.add(slash < 0 ? rest : rest.slice(0, slash + 1));
    }
    return [...names].sort();
  }

  private ensure(key: string): KvSecret {
    let secret = this.secrets.get(key);
    if (!secret) {
      secret = { versions: [], customMetadata: null, casRequired: false, created: this.iso(), updated: this.iso() };
      this.secrets.set(key, secret);
    }
    return secret;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
