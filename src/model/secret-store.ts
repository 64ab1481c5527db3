import type { SecretRef } from './change.js';

/** What a team reads from one secret path: everything it needs to connect. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** `postgresql://user:password@host:port/database?sslmode=require` */
  readonly uri: string;
}

/** `rotation-pending`: a rotation stored the latest version and may not have set it on the role. */
export type SecretStatus = 'absent' | 'present' | 'rotation-pending';

export interface StoredSecret {
  readonly credentials: Credentials;
  /** Monotonic version (Vault KV v2 semantics); 1 for the first write. */
  readonly version: number;
  /**
   * True when a rotation stored this version and did not record that the role got its password
   * (it stopped in between): the role may still have the previous version's password.
   */
  readonly rotationPending?: boolean;
}

/** Where a rotation of one secret stands; see `SecretStore.markRotation`. */
export type RotationPhase = 'pending' | 'confirmed';

/** Thrown when a compare-and-set write finds another version than expected. */
export class SecretConflictError extends Error {
  constructor(readonly ref: SecretRef) {
    super(`the secret at ${ref.path} was written by another run at the same time`);
    this.name = 'SecretConflictError';
  }
}

/**
 * Where login credentials live: a file store for the local instance, Vault KV v2 for RDS.
 * The store, not PostgreSQL, is the source of truth for passwords (hashes cannot be compared).
 */
export interface SecretStore {
  /** `file` or `vault`, shown in plans. */
  readonly kind: string;
  /** The location of one user's secret; pure, no I/O. */
  refFor(database: string, user: 'rw' | 'ro'): SecretRef;
  /** The latest version, or null when there is none. */
  read(ref: SecretRef): Promise<StoredSecret | null>;
  /**
   * Whether a secret exists, without reading its value: plans need no more, so the plan role's
   * Vault policy can be metadata-only (it never sees a team's password).
   */
  status(ref: SecretRef): Promise<SecretStatus>;
  /**
   * Writes a new version only if the current one is `expectedVersion` (0 = only if absent),
   * else throws SecretConflictError. Returns the version written.
   */
  write(ref: SecretRef, credentials: Credentials, expectedVersion: number): Promise<number>;
  /**
   * Rotation bookkeeping, kept beside the versions (not in them): a rotation marks `version`
   * `pending` before writing it and `confirmed` once the role has its password. `read` reports
   * the latest version as `rotationPending` while it is marked pending.
   */
  markRotation(ref: SecretRef, version: number, phase: RotationPhase): Promise<void>;
  /**
   * Removes the secret with every version and its metadata (a dropped database's users); an
   * absent secret is not an error, so a repeated drop converges.
   */
  delete(ref: SecretRef): Promise<void>;
}
