/**
 * SCRAM-SHA-256 password verifiers (RFC 5802 / RFC 7677), in the exact text PostgreSQL stores in
 * `pg_authid.rolpassword`. Sending the verifier instead of the password keeps plaintext out of
 * statement logs (RDS keeps those) and out of `pg_stat_statements`; PostgreSQL stores a string of
 * this shape as is when it is given as a role's PASSWORD.
 */
import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** PostgreSQL's default (`scram_iterations` is only settable from PostgreSQL 16). */
export const SCRAM_ITERATIONS = 4096;
/** PostgreSQL's salt length. */
export const SCRAM_SALT_BYTES = 16;

/**
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, all base64. Pure given `salt`;
 * a random 16-byte salt otherwise.
 *
 * PostgreSQL runs the password through SASLprep first. SASLprep leaves printable ASCII unchanged,
 * and we do not reimplement the rest of it, so anything else is refused rather than risking a
 * verifier that PostgreSQL would compute differently (a role nobody could log in as).
 */
export function scramSha256Verifier(
  password: string,
  salt: Buffer = randomBytes(SCRAM_SALT_BYTES),
  iterations: number = SCRAM_ITERATIONS,
): string {
  assertPrintable(password);
  return verifierFrom(pbkdf2Sync(password, salt, iterations, 32, 'sha256'), salt, iterations);
}

/**
 * The same verifier, with PBKDF2 on libuv's thread pool: an apply that creates hundreds of login
 * roles computes their verifiers in parallel instead of blocking the event loop for each.
 */
export async function scramSha256VerifierAsync(
  password: string,
  salt: Buffer = randomBytes(SCRAM_SALT_BYTES),
  iterations: number = SCRAM_ITERATIONS,
): Promise<string> {
  assertPrintable(password);
  return verifierFrom(await pbkdf2Async(password, salt, iterations, 32, 'sha256'), salt, iterations);
}

function assertPrintable(password: string): void {
  if (!/^[\x20-\x7e]+$/.test(password)) {
    throw new Error('SCRAM verifiers are only built for non-empty printable-ASCII passwords');
  }
}

function verifierFrom(salted: Buffer, salt: Buffer, iterations: number): string {
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const b64 = (b: Buffer) => b.toString('base64');
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

/** The salt and iteration count of a verifier, e.g. to recompute it from a known password. */
export function parseScramVerifier(verifier: string): { iterations: number; salt: Buffer } | null {
  const match = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/.exec(verifier);
  if (!match) return null;
  return { iterations: Number(match[1]), salt: Buffer.from(match[2]!, 'base64') };
}
