/**
 * All mistakes in one round (issue 15): a YAML syntax error in one place of a file still lets the
 * mistakes elsewhere in that file, and in every other file, be reported in the same run, so a
 * team does not fix one line per pull-request round. Nothing is concluded from the unreadable
 * part: no "missing" settings, no checks against an instance the file may name there, no spec.
 */
import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/app/load-repository.js';
import { DATABASE_HEADER, tempRepo, validDatabase } from './validate-helpers.js';

const at = (d: { code: string; line: number }) => `${d.code}@${d.line}`;

describe('a syntax error does not hide the other mistakes', () => {
  it.each([
    ['a line indented too far', 'contact: team-a@example.org\n   extra: indented\n'],
    ['an unclosed quote', 'contact: "team-a@example.org\n'],
  ])('%s: the error, an unknown key and a CIDR with host bits elsewhere are all reported', async (_, broken) => {
    const file =
      `${DATABASE_HEADER}name: shop\nteam: team-a\nproject: Shop\n${broken}` +
      'colour: blue\naccess:\n  external:\n    - cidr: 81.91.101.7/24\n      description: Partner\n';
    const root = tempRepo({ 'databases/shop.yaml': file, 'databases/other.yaml': validDatabase('other', 'extensions: [no_such_extension]\n') });
    const { diagnostics, spec } = await loadRepository(root);
    const lineOf = (text: string) => file.split('\n').findIndex((l) => l.startsWith(text)) + 1;
    const shop = diagnostics.filter((d) => d.file === 'databases/shop.yaml');
    expect(shop.filter((d) => d.code !== 'yaml.syntax').map(at)).toEqual([`schema.unknown-key@${lineOf('colour')}`, `cidr.host-bits@${lineOf('    - cidr')}`]);
    expect(shop.filter((d) => d.code === 'yaml.syntax').length).toBeGreaterThan(0);
    // `contact` is required, but it is in the part that could not be read: not reported missing.
    expect(diagnostics.some((d) => d.code === 'schema.required')).toBe(false);
    // The other file's mistake is in the same run; neither file becomes something to apply.
    expect(diagnostics.filter((d) => d.file === 'databases/other.yaml').map((d) => d.code)).toEqual(['extension.unknown']);
    expect(spec.databases.map((d) => d.name)).toEqual([]);
  });

  it('does not check networks against the default instance when the `instance:` line is unreadable', async () => {
    // /8 is too broad on the default shared-pg15; but the unread line may name an instance with another limit.
    const file = `${validDatabase('shop')}instance: "local\naccess:\n  external:\n    - cidr: 81.0.0.0/8\n      description: Partner\n`;
    const { diagnostics } = await loadRepository(tempRepo({ 'databases/shop.yaml': file }));
    expect(diagnostics.map((d) => d.code)).toEqual(['yaml.syntax']);
  });

  it('a valid file with the same error-free content still produces its spec (the recovery is only for broken files)', async () => {
    const { diagnostics, spec } = await loadRepository(tempRepo({ 'databases/shop.yaml': validDatabase('shop') }));
    expect(diagnostics).toEqual([]);
    expect(spec.databases.map((d) => d.name)).toEqual(['shop']);
  });
});
