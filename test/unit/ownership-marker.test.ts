/**
 * Ownership is read from what a team cannot write (issue 13, item 5). On PostgreSQL 15 a database's
 * owner may COMMENT ON DATABASE, but COMMENT ON ROLE needs CREATEROLE ("roles: you must have
 * CREATEROLE privilege", PostgreSQL 15 docs for COMMENT), which no team role has: so the owner
 * role's marker decides, and the database's comment is a copy.
 */
import { describe, expect, it } from 'vitest';
import { isManagedDatabase, managedFile } from '../../src/diff/ownership.js';
import { parseMarker } from '../../src/sql/marker.js';
import { marker, role } from '../support/states.js';

const roles = (...list: ReturnType<typeof role>[]) => ({ roles: new Map(list.map((r) => [r.name, r])) });

describe('which database is ours', () => {
  it('a database whose owner role carries our marker for its file is ours, whatever its comment says', () => {
    const live = roles(role('shop_owner', { marker: marker('shop') }));
    expect(isManagedDatabase({ name: 'shop', owner: 'shop_owner' }, live)).toBe(true);
    expect(managedFile({ name: 'shop', owner: 'shop_owner' }, live)).toBe('databases/shop.yaml');
  });

  it('a database comment alone (written by the team that owns it) does not make a database ours', () => {
    const live = roles(role('hand_team'));
    expect(isManagedDatabase({ name: 'hand', owner: 'hand_team' }, live)).toBe(false);
  });

  it("an unmarked database owned by another database's managed owner role is not ours", () => {
    const live = roles(role('shop_owner', { marker: marker('shop') }));
    expect(isManagedDatabase({ name: 'other', owner: 'shop_owner' }, live)).toBe(false);
  });
});

describe('a marker state this version does not know', () => {
  it.each(['bogus', 'archived', 'RETIRED'])('"%s" is kept as unknown, never read as retired', (state) => {
    const parsed = parseMarker(JSON.stringify({ managedBy: 'platon-db', file: 'databases/shop.yaml', team: 't', commit: 'c', state }));
    expect(parsed?.state).toBeUndefined();
    expect(parsed?.unknownState).toBe(state);
  });

  it('"retired" is retired, and no state is active', () => {
    expect(parseMarker('{"managedBy":"platon-db","file":"databases/a.yaml","state":"retired"}')).toMatchObject({ state: 'retired' });
    expect(parseMarker('{"managedBy":"platon-db","file":"databases/a.yaml"}')).not.toHaveProperty('unknownState');
  });
});
