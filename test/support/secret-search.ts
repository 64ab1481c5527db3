/**
 * Searching command output for secrets, for the no-leak tests: each secret in the forms it could
 * take on the way out (as is, URI-encoded, base64, JSON-escaped), and the SCRAM verifiers
 * PostgreSQL stored (read as the superuser: SIMULATION ONLY, RDS hides them).
 */
import { superuserUrl, withClient } from './postgres.js';

/** A short, safe description of every secret `text` holds in any form; empty when none. */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), JSON.stringify(secret).slice(1, -1)]) {
      if (text.includes(form)) found.push(`${form.slice(0, 4)}... (${form.length} characters)`);
    }
  }
  if (/SCRAM-SHA-256\$/.test(text)) found.push('a SCRAM-SHA-256 verifier');
  return found;
}

/** Every stored password of roles named `<prefix>...`: how many, how many are not SCRAM verifiers, their salts and keys. */
export async function storedVerifierParts(prefix: string): Promise<{ readonly verifiers: number; readonly notScram: number; readonly parts: string[] }> {
  const rows = await withClient(superuserUrl()!, (c) =>
    c.query<{ v: string }>(`SELECT rolpassword AS v FROM pg_authid WHERE rolname LIKE $1 AND rolpassword IS NOT NULL`, [`${prefix}%`]),
  );
  const scram = rows.rows.map((r) => r.v).filter((v) => v.startsWith('SCRAM-SHA-256$'));
  return { verifiers: rows.rows.length, notScram: rows.rows.length - scram.length, parts: scram.flatMap((v) => v.split(/[$:]/).filter((p) => p.length >= 16)) };
}
