/** The planner on adoption, retirement, dropping and moves: pure, on hand-built live states. */
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/diff/diff.js';
import type { Change } from '../../src/model/change.js';
import type { LiveDatabase, LiveState } from '../../src/model/state.js';
import { acl, converged, convergedState, desired, liveState, marker, role, spec } from '../support/states.js';

const kinds = (changes: readonly Change[]) => changes.map((c) => `${c.kind}:${'role' in c ? c.role : 'member' in c ? c.member : ''}`);
const keep = { allowDestroy: false };
const destroy = { allowDestroy: true };

/** A database ordered by e-mail: owned by its login user, no markers, PUBLIC still has CONNECT. */
function legacy(): LiveState {
  const db: LiveDatabase = {
    name: 'legacy',
    owner: 'legacy_user',
    marker: null,
    acl: [...acl('PUBLIC', 'CONNECT', 'TEMPORARY'), ...acl('legacy_user', 'CONNECT', 'CREATE', 'TEMPORARY'), ...acl('legacy_reader', 'CONNECT')],
    contents: {
      extensions: [{ name: 'plpgsql', version: '1.0' }, { name: 'citext', version: '1.6' }],
      schemas: [{ name: 'public', owner: 'pg_database_owner', acl: acl('legacy_reader', 'USAGE'), unreadableByReadOnly: 2 }],
      defaultPrivileges: [],
    },
  };
  return {
    ...liveState({ roles: [role('legacy_user', { login: true, connectionLimit: 20 }), role('legacy_reader', { login: true, connectionLimit: 20 })], databases: [db] }),
    secretsPresent: new Set(),
  };
}

const adopted = spec('legacy', { adopt: true, extensions: ['citext'], users: { readOnly: true, owner: 'legacy_user', rw: 'legacy_user', ro: 'legacy_reader' } });

describe('adoption', () => {
  it('is an error without adopt: true', () => {
    const result = diff(desired({ ...adopted, adopt: false }), legacy(), keep);
    expect(result.errors.map((e) => e.code)).toEqual(['database.unmanaged', 'role.unmanaged', 'role.unmanaged']);
    expect(result.errors[0]!.hint).toContain('platon-db import');
    expect(result.changes).toEqual([]);
  });

  it('plans only adoption steps: markers, the admin membership, read grants, PUBLIC revoked', () => {
    const result = diff(desired(adopted), legacy(), keep);
    expect(result.errors).toEqual([]);
    expect(kinds(result.changes).sort()).toEqual(
      [
        'grant-membership:legacy_user',
        'revoke-public:',
        'grant-schema-read:legacy_reader',
        'grant-default-privileges:legacy_reader',
        'grant-default-privileges:legacy_reader',
        'grant-default-privileges:legacy_reader',
        'set-marker:',
        'set-marker:',
        'set-marker:',
      ].sort(),
    );
    const destructive = ['drop-database', 'drop-role', 'drop-extension', 'revoke-membership', 'reset-password', 'alter-role', 'set-role-setting'];
    expect(result.changes.filter((c) => destructive.includes(c.kind))).toEqual([]);
  });

  it('notes that the adopted users keep passwords the store does not know, and never resets them', () => {
    const result = diff(desired(adopted), legacy(), keep);
    expect(result.notes.filter((n) => n.kind === 'password-unknown').map((n) => ('role' in n ? n.role : ''))).toEqual(['legacy_user', 'legacy_reader']);
    const later = diff(desired(adopted), { ...legacy(), missingSecrets: new Set(['legacy_user']) }, keep);
    expect(later.changes.some((c) => c.kind === 'reset-password')).toBe(false);
  });

  it('refuses to adopt a role another role is a member of: that role could act as the team', () => {
    const live = legacy();
    const roles = new Map(live.roles);
    roles.set('someone', role('someone', { memberOf: ['legacy_user'] }));
    const result = diff(desired(adopted), { ...live, roles }, keep);
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([['adopt.role-elsewhere', 'role legacy_user cannot be adopted for legacy: someone is a member of it']]);
    expect(result.changes).toEqual([]);
  });

  it('once adopted, warns about, but keeps, a membership in the owner role it did not grant', () => {
    const live = legacy();
    const roles = new Map([...live.roles].map(([name, r]) => [name, name.startsWith('legacy_') ? { ...r, marker: marker('legacy') } : r]));
    roles.set('someone', role('someone', { memberOf: ['legacy_user'] }));
    const result = diff(desired(adopted), { ...live, roles }, keep);
    expect(result.errors).toEqual([]);
    expect(result.changes.some((c) => c.kind === 'revoke-membership')).toBe(false);
    expect(result.notes.some((n) => n.kind === 'warning' && n.message.includes('someone'))).toBe(true);
  });
});

describe('retire and drop', () => {
  const shop = spec('shop');
  const retiredDb = (s = shop): LiveDatabase => ({ ...converged(s).database, marker: { ...marker(s.name), state: 'retired' } });

  it('retires: logins off, CONNECT revoked, sessions ended, the marker records it', () => {
    const result = diff(desired({ ...shop, state: 'retired' }), convergedState(shop), keep);
    expect(kinds(result.changes)).toEqual([
      'alter-role:shop_rw',
      'alter-role:shop_ro',
      'revoke-connect:shop_ro',
      'terminate-sessions:',
      'set-marker:',
    ]);
    const mark = result.changes.find((c) => c.kind === 'set-marker');
    expect(mark && 'marker' in mark ? mark.marker.state : undefined).toBe('retired');
  });

  it('refuses to drop a database that no apply retired', () => {
    const result = diff(desired({ ...shop, state: 'dropped' }), convergedState(shop), destroy);
    expect(result.errors.map((e) => e.code)).toEqual(['database.not-retired']);
    expect(result.changes).toEqual([]);
  });

  it('names the instance being planned when a drop is refused, not the one the file names (a local rehearsal plans files of another instance)', () => {
    const onShared = { ...shop, instance: 'shared-pg15', state: 'dropped' as const };
    const result = diff({ ...desired(onShared), instance: 'local' }, convergedState(shop), destroy);
    expect(result.errors[0]?.message).toBe('database shop is not retired on instance local, so it cannot be dropped yet');
  });

  it('drops a retired database only with allowDestroy, then its roles and their secrets', () => {
    const parts = converged(shop);
    const live = { ...liveState({ roles: parts.roles, databases: [retiredDb()] }), secretsPresent: new Set(['shop_rw', 'shop_ro']) };
    const kept = diff(desired({ ...shop, state: 'dropped' }), live, keep);
    expect(kept.changes).toEqual([]);
    expect(kept.notes.map((n) => n.kind)).toEqual(['drop-pending']);
    const dropped = diff(desired({ ...shop, state: 'dropped' }), live, destroy);
    expect(kinds(dropped.changes)).toEqual([
      'drop-database:',
      'drop-role:shop_ro',
      'drop-role:shop_rw',
      'drop-role:shop_owner',
      'delete-secret:shop_rw',
      'delete-secret:shop_ro',
    ]);
  });

  it('finishes a drop that stopped after the roles went: the secrets left behind are deleted', () => {
    const live = { ...liveState({}), secretsPresent: new Set(['shop_rw']) };
    expect(kinds(diff(desired({ ...shop, state: 'dropped' }), live, destroy).changes)).toEqual(['delete-secret:shop_rw']);
    expect(diff(desired({ ...shop, state: 'dropped' }), { ...liveState({}), secretsPresent: new Set() }, destroy).changes).toEqual([]);
  });

  it('brings a retired database back: logins, CONNECT and the marker', () => {
    const parts = converged(shop);
    const roles = parts.roles.map((r) => (r.login ? { ...r, login: false } : r));
    const db = { ...retiredDb(), acl: acl('shop_owner', 'CONNECT', 'CREATE', 'TEMPORARY') };
    const result = diff(desired(shop), liveState({ roles, databases: [db] }), keep);
    expect(kinds(result.changes)).toEqual(['grant-connect:shop_ro', 'alter-role:shop_rw', 'alter-role:shop_ro', 'set-marker:']);
  });

  it('deleting a file still drops nothing', () => {
    const result = diff(desired(), convergedState(shop), destroy);
    expect(result.changes).toEqual([]);
    expect(result.notes.map((n) => n.kind)).toEqual(['retained-database']);
  });
});

describe('moves', () => {
  const shop = spec('shop');
  it('is an error on the instance the database lives on when its file names another', () => {
    const result = diff({ ...desired(), elsewhere: new Map([['shop', 'dedicated']]) }, convergedState(shop), keep);
    expect(result.errors.map((e) => e.code)).toEqual(['database.move']);
    expect(result.errors[0]!.message).toContain('pg_dump and pg_restore');
    expect(result.errors[0]!.hint).toBe('platon-db move shop --to dedicated carries out these steps with checks');
  });

  it('is an error on the target too, instead of creating an empty database', () => {
    const result = diff({ ...desired(shop), livesElsewhere: new Map([['shop', 'shared']]) }, liveState({}), keep);
    expect(result.errors.map((e) => e.code)).toEqual(['database.move']);
    expect(result.changes).toEqual([]);
  });

  it('notes the retired copy a move left behind', () => {
    const parts = converged(shop);
    const db = { ...parts.database, marker: { ...marker('shop'), state: 'retired' as const, movedTo: 'dedicated' } };
    const result = diff({ ...desired(), elsewhere: new Map([['shop', 'dedicated']]) }, liveState({ roles: parts.roles, databases: [db] }), keep);
    expect(result.errors).toEqual([]);
    expect(result.notes).toEqual([{ kind: 'moved', database: 'shop', to: 'dedicated' }]);
  });
});
