import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/validate/did-you-mean.js';

describe('closest', () => {
  const keys = ['name', 'team', 'project', 'contact', 'users', 'extensions', 'access', 'backup', 'connectionLimit', 'instance'];
  it.each([
    ['extension', keys, 'extensions'],
    ['extentions', keys, 'extensions'],
    ['conatct', keys, 'contact'],
    ['connection_limit', keys, 'connectionLimit'],
    ['ConnectionLimit', keys, 'connectionLimit'],
    ['nmae', keys, 'name'],
    ['pgtrgm', ['pg_trgm', 'pgcrypto', 'pgaudit'], 'pg_trgm'],
    ['uuid_ossp', ['uuid-ossp', 'pg_trgm'], 'uuid-ossp'],
    ['shared-pg16', ['shared-pg15', 'local'], 'shared-pg15'],
    // too far to be a typo
    ['owner', keys, undefined],
    ['x', keys, undefined],
    ['database', keys, undefined],
  ])('%s -> %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  it.each([
    ['kitten', 'sitting', 3],
    ['ab', 'ba', 1],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ])('editDistance(%s, %s) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});
