/**
 * Errors from pg can echo parts of a statement. Everything an apply reports goes through here, so
 * no password or SCRAM verifier reaches stdout, stderr, logs or a thrown message.
 */
const VERIFIER = /SCRAM-SHA-256\$[^\s'"]+/g;

export function redact(text: string, secrets: Iterable<string>): string {
  let out = text.replace(VERIFIER, '<redacted verifier>');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('<redacted>');
  }
  return out;
}
