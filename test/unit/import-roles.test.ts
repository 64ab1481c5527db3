/** Which existing roles import maps to owner, read/write and read-only: table-driven. */
import { describe, expect, it } from 'vitest';
import { chooseRoles, type LegacyRole } from '../../src/import/roles.js';

const role = (name: string, fields: Partial<LegacyRole> = {}): LegacyRole => ({
  name,
  login: true,
  connectionLimit: -1,
  connect: true,
  writes: false,
  memberOf: [],
  ...fields,
});

describe('chooseRoles', () => {
  it.each([
    ['the owner logs in: it is the read/write user; the one reader is read-only', 'app', [role('app', { writes: true }), role('reader')], { owner: 'app', rw: 'app', ro: 'reader', others: [] }],
    ['a NOLOGIN owner with one login member', 'app_owner', [role('app_owner', { login: false }), role('app_user', { memberOf: ['app_owner'], connect: false }), role('report')], { owner: 'app_owner', rw: 'app_user', ro: 'report', others: [] }],
    ['an owner nobody logs in as, one writer by grants', 'app_owner', [role('app_owner', { login: false }), role('writer', { writes: true })], { owner: 'app_owner', rw: 'writer', others: [] }],
    ['two readers: neither is chosen, both are listed', 'app', [role('app', { writes: true }), role('r1'), role('r2')], { owner: 'app', rw: 'app', others: ['r1', 'r2'] }],
    ['a writer that is not the read/write user is listed, not made read-only', 'app', [role('app', { writes: true }), role('etl', { writes: true })], { owner: 'app', rw: 'app', others: ['etl'] }],
  ])('%s', (_, owner, roles, expected) => {
    expect(chooseRoles({ owner, roles })).toEqual({ ok: true, roles: expected });
  });

  it('asks for --rw when it cannot tell', () => {
    const result = chooseRoles({ owner: 'app_owner', roles: [role('app_owner', { login: false }), role('a', { writes: true }), role('b', { writes: true })] });
    expect(result).toEqual({ ok: false, problem: expect.stringContaining('candidates: a, b'), hint: 'name it with --rw ROLE' });
  });

  it('takes --rw and --ro as given, and refuses a read-only user that is the read/write one', () => {
    const roles = [role('app_owner', { login: false }), role('a', { writes: true }), role('b', { writes: true })];
    expect(chooseRoles({ owner: 'app_owner', roles, rw: 'a', ro: 'b' })).toEqual({ ok: true, roles: { owner: 'app_owner', rw: 'a', ro: 'b', others: [] } });
    expect(chooseRoles({ owner: 'app_owner', roles, rw: 'a', ro: 'a' }).ok).toBe(false);
  });
});
