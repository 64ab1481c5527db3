import { describe, expect, it } from 'vitest';
import { diff } from '../../src/diff/diff.js';
import type { Change } from '../../src/model/change.js';
import { ADMIN, acl, converged, convergedState, desired, liveState, marker, role, spec } from '../support/states.js';

const kinds = (changes: readonly Change[]) => changes.map((c) => `${c.kind}:${'role' in c ? c.role : ''}`);
const keep = { allowDestroy: false };

describe('diff', () => {
  it('plans a new database with its roles in apply order', () => {
    const result = diff(desired(spec('shop', { extensions: ['pg_trgm'] })), liveState({}), keep);
    expect(result.errors).toEqual([]);
    expect(kinds(result.changes)).toEqual([
      'create-role:shop_owner',
      'create-role:shop_rw',
      'create-role:shop_ro',
      `grant-membership:shop_owner`,
      `grant-membership:shop_owner`,
      'create-database:',
      'revoke-public:',
      'grant-connect:shop_ro',
      'set-role-setting:shop_rw',
      'grant-schema-read:shop_ro',
      'grant-default-privileges:shop_ro',
      'grant-default-privileges:shop_ro',
      'grant-default-privileges:shop_ro',
      'create-extension:',
    ]);
    const grants = result.changes.filter((c) => c.kind === 'grant-membership');
    expect(grants.map((c) => ('member' in c ? c.member : ''))).toEqual([ADMIN, 'shop_rw']);
  });

  it('gives login roles their connection limit and secret reference, never the owner', () => {
    const result = diff(desired(spec('shop', { connectionLimit: 7 })), liveState({}), keep);
    const created = result.changes.filter((c) => c.kind === 'create-role');
    expect(created.map((c) => [c.role, c.login, c.connectionLimit, c.secret?.path])).toEqual([
      ['shop_owner', false, undefined, undefined],
      ['shop_rw', true, 7, 'local/shop/rw'],
      ['shop_ro', true, 7, 'local/shop/ro'],
    ]);
  });

  it('is empty when live matches desired', () => {
    const specs = [spec('a', { extensions: ['citext', 'pg_trgm'] }), spec('b', { users: { readOnly: false } })];
    expect(diff(desired(...specs), convergedState(...specs), keep)).toEqual({ changes: [], notes: [], errors: [] });
  });

  it('keeps databases in name order whatever the file order', () => {
    const result = diff(desired(spec('zeta'), spec('alpha')), liveState({}), keep);
    const created = result.changes.filter((c) => c.kind === 'create-database').map((c) => c.database);
    expect(created).toEqual(['alpha', 'zeta']);
  });

  it('refuses a declared database that exists without our marker, and plans nothing for it', () => {
    const live = liveState({ databases: [{ name: 'legacy', owner: ADMIN, marker: null, acl: [] }] });
    const result = diff(desired(spec('legacy'), spec('fresh')), live, keep);
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'database.unmanaged', database: 'legacy', file: 'databases/legacy.yaml' }),
    ]);
    expect(result.errors[0]?.message).toBe('database legacy exists and is not managed by platon-db');
    expect(result.errors[0]?.hint).toMatch(/import/);
    expect(result.changes.every((c) => c.database === 'fresh')).toBe(true);
  });

  it('refuses a declared role that exists without our marker', () => {
    const result = diff(desired(spec('shop')), liveState({ roles: [role('shop_rw', { login: true })] }), keep);
    expect(result.errors.map((e) => e.code)).toEqual(['role.unmanaged']);
    expect(result.changes).toEqual([]);
  });

  it('treats a database left without its comment by a crash as ours when our owner role owns it', () => {
    const s = spec('shop');
    const { roles, database } = converged(s);
    const live = liveState({ roles, databases: [{ ...database, marker: null }] });
    const result = diff(desired(s), live, keep);
    expect(result.errors).toEqual([]);
    expect(kinds(result.changes)).toEqual(['set-marker:']);
  });

  it('does not take an unmarked database for ours because a managed owner role owns it', () => {
    // Ownership comes from the marker. The one exception is the crash window above: the database's
    // own <name>_owner, created by the same file. An unmarked database owned by another managed
    // owner role (someone ran CREATE DATABASE shop OWNER wiki_owner by hand) is not ours.
    const wiki = converged(spec('wiki'));
    const live = liveState({ roles: wiki.roles, databases: [wiki.database, { name: 'shop', owner: 'wiki_owner', marker: null, acl: [] }] });
    const declared = diff(desired(spec('wiki'), spec('shop')), live, keep);
    expect(declared.errors).toEqual([
      expect.objectContaining({ code: 'database.unmanaged', database: 'shop', message: 'database shop exists and is not managed by platon-db' }),
    ]);
    expect(declared.changes.filter((c) => c.database === 'shop')).toEqual([]);
    // Undeclared, it is someone else's: no retained-database note, nothing planned.
    const undeclared = diff(desired(spec('wiki')), live, keep);
    expect(undeclared).toEqual({ changes: [], notes: [], errors: [] });
  });

  it('corrects drifted limits, logins, settings and memberships', () => {
    const s = spec('shop');
    const { roles, database } = converged(s);
    const drifted = roles.map((r) =>
      r.name === 'shop_rw' ? { ...r, connectionLimit: 99, settings: {} } : r.name === 'shop_ro' ? { ...r, login: false } : r,
    );
    const intruder = role('mallory', { login: true, memberOf: ['shop_owner'] });
    const result = diff(desired(s), liveState({ roles: [...drifted, intruder], databases: [database] }), keep);
    expect(result.changes).toEqual([
      { kind: 'set-role-setting', database: 'shop', role: 'shop_rw', setting: 'role', value: 'shop_owner' },
      { kind: 'alter-role', database: 'shop', role: 'shop_rw', connectionLimit: 20 },
      { kind: 'alter-role', database: 'shop', role: 'shop_ro', login: true },
      { kind: 'revoke-membership', database: 'shop', role: 'shop_owner', member: 'mallory' },
      { kind: 'set-marker', database: 'shop', object: 'database', name: 'shop', marker: marker('shop') },
    ]);
  });

  it('revokes what PUBLIC regained and restores missing read-only grants', () => {
    const s = spec('shop');
    const { roles, database } = converged(s);
    const contents = database.contents!;
    const broken = {
      ...database,
      acl: [...database.acl.filter((e) => e.grantee !== 'shop_ro'), ...acl('PUBLIC', 'CONNECT')],
      contents: {
        ...contents,
        schemas: [...contents.schemas, { name: 'app', owner: 'shop_owner', acl: acl('shop_ro', 'USAGE'), unreadableByReadOnly: 3 }],
        defaultPrivileges: contents.defaultPrivileges.filter((d) => d.objectType !== 'sequences'),
      },
    };
    const result = diff(desired(s), liveState({ roles, databases: [broken] }), keep);
    expect(kinds(result.changes)).toEqual([
      'revoke-public:',
      'grant-connect:shop_ro',
      'grant-schema-read:shop_ro',
      'grant-default-privileges:shop_ro',
      'set-marker:',
    ]);
  });

  it('reports an extension no longer in the file, and drops it only with allowDestroy', () => {
    const s = spec('shop', { extensions: ['citext', 'pg_trgm'] });
    const live = convergedState(s);
    const less = desired(spec('shop', { extensions: ['citext'] }));
    const kept = diff(less, live, keep);
    expect(kept.changes).toEqual([]);
    expect(kept.notes).toEqual([{ kind: 'extension-kept', database: 'shop', extension: 'pg_trgm' }]);
    const dropped = diff(less, live, { allowDestroy: true });
    expect(kinds(dropped.changes)).toEqual(['drop-extension:', 'set-marker:']);
    expect(dropped.notes).toEqual([]);
  });

  it('retains a managed database whose file is gone, and ignores unmanaged ones', () => {
    const live = convergedState(spec('gone'));
    const withForeign = liveState({
      roles: [...live.roles.values()].filter((r) => r.name !== ADMIN),
      databases: [...live.databases.values(), { name: 'handmade', owner: ADMIN, marker: null, acl: acl('PUBLIC', 'CONNECT') }],
    });
    const result = diff(desired(), withForeign, keep);
    expect(result.changes).toEqual([]);
    expect(result.notes).toEqual([{ kind: 'retained-database', database: 'gone', file: 'databases/gone.yaml' }]);
  });

  it('disables the read-only user when the file stops asking for it', () => {
    const s = spec('shop');
    const result = diff(desired({ ...s, users: { readOnly: false } }), convergedState(s), keep);
    expect(result.changes).toContainEqual({ kind: 'alter-role', database: 'shop', role: 'shop_ro', login: false });
  });
});
