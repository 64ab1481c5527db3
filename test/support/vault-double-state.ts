/**
 * The state behind the Vault test double (./vault-double.ts): tokens with TTLs and KV v2 secrets
 * with their versions and custom metadata. Plain data and rules, no HTTP; time comes from `now`
 * so tests can move it forward instead of waiting.
 */
import { randomBytes } from 'node:crypto';

export interface TokenOptions {
  /** Seconds until expiry; 0 = never (like a root token). */
  readonly ttlSeconds?: number;
  readonly renewable?: boolean;
  /** Renewals never extend the token past creation + this; 0 = no cap. */
  readonly maxTtlSeconds?: number;
  /** Path prefixes (e.g. `secret/data/platon/`) the token may use; all when absent. */
  readonly paths?: readonly string[];
  readonly displayName?: string;
}

export interface Token {
  readonly id: string;
  readonly accessor: string;
  readonly createdAt: number;
  readonly ttlSeconds: number;
  readonly renewable: boolean;
  readonly maxTtlSeconds: number;
  readonly paths?: readonly string[];
  readonly displayName: string;
  /** ms since the epoch; null = never. */
  expiresAt: number | null;
}

export interface KvVersion {
  readonly version: number;
  readonly created: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Set by a soft delete (`vault kv delete`): the version stays in the history, unreadable. */
  deleted?: string;
}

export interface KvSecret {
  readonly versions: KvVersion[];
  customMetadata: Record<string, string> | null;
  readonly created: string;
  updated: string;
}

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
      paths: options.paths,
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

  /** Writes a version; `cas` as in KV v2 (0 = only if absent). Returns null on a CAS mismatch. */
  write(key: string, data: Record<string, unknown>, cas: number | undefined): KvVersion | null {
    const secret = this.ensure(key);
    const current = secret.versions.at(-1)?.version ?? 0;
    if (cas !== undefined && cas !== current) return null;
    const version: KvVersion = { version: current + 1, created: this.iso(), data: structuredClone(data) };
    secret.versions.push(version);
    this.written.push({ key, version });
    if (secret.versions.length > this.maxVersions) secret.versions.splice(0, secret.versions.length - this.maxVersions);
    secret.updated = version.created;
    return version;
  }

  /** `vault kv delete`: marks the latest version deleted; false when there is none. */
  deleteLatest(key: string): boolean {
    const latest = this.secrets.get(key)?.versions.at(-1);
    if (!latest) return false;
    latest.deleted = this.iso();
    return true;
  }

  /** DELETE metadata (`vault kv metadata delete`): every version and the metadata are gone. */
  destroy(key: string): void {
    this.secrets.delete(key);
  }

  /** POST metadata: creates the entry if needed and replaces custom_metadata when given. */
  putMetadata(key: string, customMetadata: Record<string, string> | undefined): void {
    const secret = this.ensure(key);
    if (customMetadata !== undefined) secret.customMetadata = { ...customMetadata };
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



  private ensure(key: string): KvSecret {
    let secret = this.secrets.get(key);
    if (!secret) {
      secret = { versions: [], customMetadata: null, created: this.iso(), updated: this.iso() };
      this.secrets.set(key, secret);
    }
    return secret;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
