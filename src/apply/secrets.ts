/**
 * Crash-safe issuance (ARCHITECTURE.md, "Credentials"): the secret is written before the role is
 * created, with compare-and-set, so two runs never both invent a password and a crash between the
 * two steps leaves a secret that the next run completes with, never replaces.
 */
import type { SecretRef } from '../model/change.js';
import { SecretConflictError, type SecretStore } from '../model/secret-store.js';
import { buildCredentials } from '../adapters/secrets/credentials.js';
import { generatePassword } from '../adapters/secrets/password.js';
import { roleNames } from '../model/role-names.js';

/** Where teams connect: the instance endpoint (not necessarily where the applier connects from). */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** Whether the server speaks TLS (RDS: yes; the local instance: no). Default yes. */
  readonly tls?: boolean;
}

/**
 * The password of the user at `ref`: the stored one if any, else a new one stored first.
 * `onStored` runs right after this call wrote one (a test hook: crash tests stop there).
 */
export async function ensurePassword(store: SecretStore, ref: SecretRef, endpoint: Endpoint, onStored?: () => void): Promise<string> {
  const existing = await store.read(ref);
  if (existing) return existing.credentials.password;
  const names = roleNames(ref.database);
  const credentials = buildCredentials({
    username: ref.role ?? (ref.user === 'rw' ? names.rw : names.ro),
    password: generatePassword(),
    host: endpoint.host,
    port: endpoint.port,
    database: ref.database,
  }, { tls: endpoint.tls !== false });
  try {
    await store.write(ref, credentials, 0);
    onStored?.();
    return credentials.password;
  } catch (error) {
    if (!(error instanceof SecretConflictError)) throw error;
    // Another run stored one between our read and write: theirs wins, and we use it.
    const winner = await store.read(ref);
    if (!winner) throw error;
    return winner.credentials.password;
  }
}
