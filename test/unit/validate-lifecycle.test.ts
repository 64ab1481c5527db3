/** The validator on what import writes: adopted role names, state, placeholders, shared roles. */
import { describe, expect, it } from 'vitest';
import { validateInMemory, validDatabase } from './validate-helpers.js';

const codes = (files: Record<string, string>) => validateInMemory(files).diagnostics.map((d) => `${d.file.split('/')[1]}:${d.line} ${d.code}`);

describe('lifecycle fields', () => {
  it('normalises an adopted database with hand-made role names, and naming ro implies readOnly', () => {
    const text = validDatabase('legacy', 'adopt: true\nstate: retired\nusers:\n  owner: legacy_user\n  rw: legacy_user\n  ro: legacy_reader\n');
    const { diagnostics, databases } = validateInMemory({ 'databases/legacy.yaml': text });
    expect(diagnostics).toEqual([]);
    expect(databases[0]).toMatchObject({
      adopt: true,
      state: 'retired',
      users: { readOnly: true, owner: 'legacy_user', rw: 'legacy_user', ro: 'legacy_reader' },
    });
  });

  it('leaves adopt and state out of a plain file', () => {
    const [spec] = validateInMemory({ 'databases/plain.yaml': validDatabase('plain') }).databases;
    expect(spec).not.toHaveProperty('adopt');
    expect(spec).not.toHaveProperty('state');
  });

  it('reports each import placeholder once, on its line, and nothing else about it', () => {
    const text = validDatabase('legacy', '').replace('team: team-a', 'team: "TODO: team slug"').replace('contact: team-a@example.org', 'contact: "TODO: e-mail"');
    expect(codes({ 'databases/legacy.yaml': text })).toEqual(['legacy.yaml:3 field.placeholder', 'legacy.yaml:5 field.placeholder']);
  });

  it('refuses a role that two files claim, named by hand or derived', () => {
    const files = {
      'databases/shop.yaml': validDatabase('shop'),
      'databases/zlegacy.yaml': validDatabase('zlegacy', 'adopt: true\nusers:\n  rw: shop_rw\n'),
    };
    expect(codes(files)).toEqual(['zlegacy.yaml:8 users.role-shared']);
  });

  it('refuses the instance admin as a team role', () => {
    expect(codes({ 'databases/legacy.yaml': validDatabase('legacy', 'adopt: true\nusers:\n  rw: platon_admin\n') })).toEqual(['legacy.yaml:8 users.reserved-role']);
  });
});
