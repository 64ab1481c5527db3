import { describe, expect, it } from 'vitest';
import { parseScramVerifier, scramSha256Verifier } from '../../src/adapters/postgres/scram.js';

// Computed by PostgreSQL 15.18 itself (SET password_encryption = 'scram-sha-256';
// CREATE ROLE vec PASSWORD 'correct horse battery staple'; then pg_authid.rolpassword).
const FROM_POSTGRES =
  'SCRAM-SHA-256$4096:1LV7w+x7pPJ9iGTBe40Qsg==$4Q5D0X8wgK+oW9pYC798z1Ai1qom2trBjqxrormSPLw=:DyVf46hEDQkPaQSreeZr3p7/XtjLCPgVPlb8ErnJCB8=';

describe('scramSha256Verifier', () => {
  it("reproduces PostgreSQL's verifier given its salt", () => {
    const { salt, iterations } = parseScramVerifier(FROM_POSTGRES)!;
    expect(iterations).toBe(4096);
    expect(scramSha256Verifier('correct horse battery staple', salt)).toBe(FROM_POSTGRES);
  });

  it('uses a fresh 16-byte salt and 4096 iterations by default', () => {
    const a = scramSha256Verifier('p');
    const b = scramSha256Verifier('p');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    expect(parseScramVerifier(a)?.salt).toHaveLength(16);
  });

  it.each(['', 'pässword', 'tab\there'])('refuses %j, which SASLprep might change', (password) => {
    expect(() => scramSha256Verifier(password)).toThrow(/printable-ASCII/);
  });

  it('does not parse other text as a verifier', () => {
    expect(parseScramVerifier('md5abc')).toBeNull();
  });
});
