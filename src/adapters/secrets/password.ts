/** Passwords for generated login roles. */
import { randomInt } from 'node:crypto';

/**
 * Letters and digits only: nothing needs escaping in a URI, a shell, YAML or a `.pgpass` line, and
 * a password survives a double-click copy. 62 symbols give log2(62) ≈ 5.95 bits each.
 */
export const PASSWORD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 characters ≈ 190 bits of entropy, far beyond brute force even of a leaked verifier. */
export const PASSWORD_LENGTH = 32;

/**
 * A password from the operating system's CSPRNG. `randomInt` draws without modulo bias, so every
 * symbol is equally likely.
 */
export function generatePassword(length: number = PASSWORD_LENGTH): string {
  let password = '';
  for (let i = 0; i < length; i++) password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return password;
}
