/**
 * Every file under test/fixtures/invalid/ is validated alone in a temporary repository beside the
 * real instances/, and must produce exactly the codes expected.json lists for it: no more (noise
 * is a bug too), no fewer. Symbolic links and oversized files are made here rather than committed.
 */
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/app/load-repository.js';
import { MAX_FILE_BYTES } from '../../src/load/limits.js';
import { hasErrors } from '../../src/model/diagnostic.js';
import { codes, REPO, tempRepo, validDatabase } from './validate-helpers.js';

const FIXTURES = join(REPO, 'test/fixtures/invalid');
const { fixtures } = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
  fixtures: Record<string, { codes: string[]; folder?: 'databases' | 'instances' }>;
};

const codesOf = async (root: string, file: string) => {
  const { diagnostics } = await loadRepository(root);
  return { codes: codes(diagnostics.filter((d) => d.file === file)), invalid: hasErrors(diagnostics), others: diagnostics.filter((d) => d.file !== file && d.severity === 'error') };
};

describe('invalid fixtures', () => {
  it('has at least 40 files, each listed in expected.json and each entry a file', () => {
    const files = readdirSync(FIXTURES).filter((f) => f !== 'expected.json').sort();
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(fixtures).sort()).toEqual(files);
  });

  it.each(Object.entries(fixtures))('%s', async (name, expected) => {
    const folder = expected.folder ?? 'databases';
    // duplicate_name.yml needs the file it collides with.
    const extra: Record<string, string> = name === 'duplicate_name.yml' ? { 'databases/studentweb.yaml': validDatabase('studentweb') } : {};
    const root = tempRepo({ ...extra, [`${folder}/${name}`]: readFileSync(join(FIXTURES, name)) });
    const result = await codesOf(root, `${folder}/${name}`);
    expect(result.codes).toEqual(expected.codes);
    expect(result.invalid).toBe(true);
    // Instance fixtures may make the real instances invalid too (two defaults); database ones must not.
    if (folder === 'databases') expect(result.others).toEqual([]);
  });

  it.each([
    ['a link to a file outside the repository', '/etc/passwd'],
    ['a link to a valid file inside the repository', 'inside.yaml'],
  ])('refuses %s', async (_, target) => {
    const root = tempRepo({ 'databases/inside.yaml': validDatabase('inside') });
    symlinkSync(target, join(root, 'databases', 'link.yaml'));
    expect((await codesOf(root, 'databases/link.yaml')).codes).toEqual(['file.symlink']);
  });

  it('refuses a file over the size limit', async () => {
    const padding = `# ${'x'.repeat(MAX_FILE_BYTES)}\n`;
    const root = tempRepo({ 'databases/huge.yaml': validDatabase('huge') + padding });
    expect((await codesOf(root, 'databases/huge.yaml')).codes).toEqual(['file.too-large']);
  });
});
