import { describe, expect, it } from 'vitest';
import { generatePassword, PASSWORD_ALPHABET } from '../../src/adapters/secrets/password.js';
import { buildCredentials } from '../../src/adapters/secrets/credentials.js';
import { fillSecretPath } from '../../src/adapters/secrets/secret-path.js';

describe('generatePassword', () => {
  it('draws 32 characters from 62 letters and digits (≈190 bits)', () => {
    const password = generatePassword();
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(PASSWORD_ALPHABET).toHaveLength(62);
    expect(32 * Math.log2(62)).toBeGreaterThan(190);
  });

  it('uses the whole alphabet and never repeats a password', () => {
    const many = Array.from({ length: 200 }, () => generatePassword());
    expect(new Set(many).size).toBe(200);
    expect(new Set(many.join('')).size).toBe(62);
  });
});

describe('buildCredentials', () => {
  it.each([
    [{ username: 'studentweb_rw', password: 'abc', host: 'db.example.org', port: 5432, database: 'studentweb' },
      'postgresql://studentweb_rw:abc@db.example.org:5432/studentweb?sslmode=require'],
    [{ username: 'u@x', password: 'p:/?#[]@!$&\'()*+,;= %', host: '::1', port: 5433, database: 'a b' },
      "postgresql://u%40x:p%3A%2F%3F%23%5B%5D%40!%24%26'()*%2B%2C%3B%3D%20%25@[::1]:5433/a%20b?sslmode=require"],
  ])('builds a URI that round-trips through URL parsing: %j', (parts, uri) => {
    const credentials = buildCredentials(parts);
    expect(credentials).toEqual({ ...parts, uri });
    const url = new URL(credentials.uri);
    expect(decodeURIComponent(url.username)).toBe(parts.username);
    expect(decodeURIComponent(url.password)).toBe(parts.password);
    expect(decodeURIComponent(url.pathname.slice(1))).toBe(parts.database);
  });
});

describe('fillSecretPath', () => {
  const values = { instance: 'shared-pg15', database: 'studentweb', user: 'ro' } as const;
  it('fills every placeholder', () => {
    expect(fillSecretPath('platon/rds/{instance}/{database}/{user}', values)).toBe('platon/rds/shared-pg15/studentweb/ro');
  });
  it.each([
    ['an unknown placeholder', 'x/{team}', values, /unknown placeholder \{team\}/],
    ['a value with a slash', '{database}', { ...values, database: 'a/b' }, /cannot put/],
    ['a parent-folder value', '{database}', { ...values, database: '..' }, /cannot put/],
  ])('refuses %s', (_, template, v, error) => {
    expect(() => fillSecretPath(template, v)).toThrow(error);
  });
});
