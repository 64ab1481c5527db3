import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRepositoryFiles } from '../../src/load/repository-files.js';
import { MAX_FILE_BYTES } from '../../src/load/limits.js';
import { tempRepo } from './validate-helpers.js';

const read = (root: string) => {
  const { files, diagnostics } = readRepositoryFiles(root);
  return { files: files.map((f) => f.path), problems: diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}`) };
};

describe('readRepositoryFiles', () => {
  it('reads the .yaml files of both folders, sorted, and nothing else quietly', () => {
    const root = tempRepo({ 'databases/b.yaml': 'x', 'databases/a.yaml': 'y', 'databases/.gitkeep': '' });
    expect(read(root)).toEqual({ files: ['databases/a.yaml', 'databases/b.yaml', 'instances/local.yaml', 'instances/shared-pg15.yaml'], problems: [] });
  });

  it.each([
    ['a .yml file is read and refused', 'databases/x.yml', 'error file.yml-extension databases/x.yml', ['databases/x.yml']],
    ['a .json file', 'databases/x.json', 'error file.unexpected databases/x.json', []],
    ['an upper-case extension', 'databases/x.YAML', 'error file.unexpected databases/x.YAML', []],
    ['a file without extension', 'databases/README', 'error file.unexpected databases/README', []],
    ['an editor swap file', 'databases/.x.yaml.swp', 'warning file.unexpected databases/.x.yaml.swp', []],
    ['a subfolder', 'databases/sub/x.yaml', 'error file.unexpected databases/sub', []],
  ])('%s', (_, path, problem, extraFiles) => {
    const root = tempRepo({ [path]: 'name: x\n' });
    const result = read(root);
    expect(result.problems).toEqual([problem]);
    expect(result.files.filter((f) => f.startsWith('databases/'))).toEqual(extraFiles);
  });

  it('refuses symbolic links without following them, wherever they point', () => {
    const root = tempRepo({ 'databases/real.yaml': 'name: real\n' });
    symlinkSync('/etc/passwd', join(root, 'databases', 'outside.yaml'));
    symlinkSync(join(root, 'databases', 'real.yaml'), join(root, 'databases', 'inside.yaml'));
    symlinkSync('/nonexistent', join(root, 'databases', 'dangling.yaml'));
    expect(read(root).problems).toEqual([
      'error file.symlink databases/dangling.yaml',
      'error file.symlink databases/inside.yaml',
      'error file.symlink databases/outside.yaml',
    ]);
  });

  it('refuses a databases/ folder that is a link', () => {
    const elsewhere = tempRepo({ 'databases/x.yaml': 'name: x\n' });
    const root = tempRepo({}, { instances: true });
    const at = join(root, 'databases');
    rmSync(at, { recursive: true });
    symlinkSync(join(elsewhere, 'databases'), at);
    expect(read(root).problems).toEqual(['error file.symlink databases']);
  });

  it('refuses a FIFO without blocking on it', () => {
    const root = tempRepo();
    execFileSync('mkfifo', [join(root, 'databases', 'pipe.yaml')]);
    expect(read(root).problems).toEqual(['error file.not-regular databases/pipe.yaml']);
  });

  it('refuses files over the size limit unread, and accepts one at the limit', () => {
    const root = tempRepo({ 'databases/big.yaml': 'x'.repeat(MAX_FILE_BYTES + 1), 'databases/ok.yaml': 'x'.repeat(MAX_FILE_BYTES) });
    const result = read(root);
    expect(result.problems).toEqual(['error file.too-large databases/big.yaml']);
    expect(result.files).toContain('databases/ok.yaml');
  });

  it('reports missing folders', () => {
    const root = tempRepo({}, { instances: false });
    expect(read(root).problems).toEqual(['error repo.missing-folder instances']);
    mkdirSync(join(root, 'instances'));
    writeFileSync(join(root, 'instances', 'x.yaml'), '');
    expect(read(root).files).toEqual(['instances/x.yaml']);
  });
});
