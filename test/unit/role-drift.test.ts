/**
 * Privilege drift on team roles, planned (pure): memberships outside the role model are revoked
 * (once, though drift of two databases), CREATEDB/CREATEROLE removed, and what only a superuser
 * can remove (PostgreSQL 15: SUPERUSER, REPLICATION, BYPASSRLS, membership in a superuser role)
 * stops the plan for that database. The integration twin is test/integration/tenant-roles.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/diff/diff.js';
import type { LiveRole } from '../../src/model/state.js';
import { converged, desired, liveState, role, spec } from '../support/states.js';

const keep = { allowDestroy: false };
const shop = spec('shop');
const wiki = spec('wiki');

function live(change: (roles: LiveRole[]) => LiveRole[]) {
  const [a, b] = [converged(shop), converged(wiki)];
  return liveState({ roles: change([...a.roles, ...b.roles]), databases: [a.database, b.database] });
}
const edit = (name: string, fields: Partial<LiveRole>) => (roles: LiveRole[]) => roles.map((r) => (r.name === name ? { ...r, ...fields } : r));

describe('team role drift', () => {
  it("revokes shop_rw's membership in wiki_owner once, though it is drift of both databases", () => {
    const result = diff(desired(shop, wiki), live(edit('shop_rw', { memberOf: ['shop_owner', 'wiki_owner'] })), keep);
    expect(result.changes.filter((c) => c.kind === 'revoke-membership')).toEqual([{ kind: 'revoke-membership', database: 'shop', role: 'wiki_owner', member: 'shop_rw' }]);
  });

  it('revokes pg_read_all_data from a role of an adopted database too, and keeps rw in owner', () => {
    const adopted = spec('shop', { adopt: true });
    const result = diff(desired(adopted, wiki), live(edit('shop_rw', { memberOf: ['pg_read_all_data', 'shop_owner'] })), keep);
    expect(result.changes.filter((c) => c.kind === 'revoke-membership')).toEqual([{ kind: 'revoke-membership', database: 'shop', role: 'pg_read_all_data', member: 'shop_rw' }]);
  });

  it('removes CREATEDB and CREATEROLE', () => {
    const result = diff(desired(shop, wiki), live(edit('shop_owner', { attributes: ['CREATEDB', 'CREATEROLE'] })), keep);
    expect(result.changes.filter((c) => c.kind === 'alter-role')).toEqual([{ kind: 'alter-role', database: 'shop', role: 'shop_owner', remove: ['CREATEDB', 'CREATEROLE'] }]);
  });

  it('stops the plan for the database whose role is in a superuser role, and plans no revoke the admin could not run', () => {
    const roles = (rs: LiveRole[]) => [...edit('shop_ro', { memberOf: ['postgres'] })(rs), role('postgres', { login: true, attributes: ['SUPERUSER'] })];
    const result = diff(desired(shop, wiki), live(roles), keep);
    expect(result.errors.map((e) => [e.code, e.database, e.message])).toEqual([
      ['role.superuser-privilege', 'shop', 'role shop_ro has membership in superuser role postgres, which only a superuser can give or take away: the admin cannot correct it, so nothing is applied for shop'],
    ]);
    expect(result.changes.filter((c) => c.database === 'shop')).toEqual([]);
  });
});
