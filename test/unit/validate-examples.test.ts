/** The repository's own files are valid, and loadRepository hands the applier normalised specs. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/app/load-repository.js';
import { loadCatalogs } from '../../src/load/catalogs.js';
import { UserError } from '../../src/model/user-error.js';
import { REPO, tempRepo, validDatabase, validateInMemory } from './validate-helpers.js';

describe('this repository', () => {
  it('has only valid files, without even a warning', async () => {
    const { diagnostics, spec } = await loadRepository(REPO);
    expect(diagnostics).toEqual([]);
    expect(spec.instances.map((i) => [i.name, i.default])).toEqual([['local', false], ['shared-pg15', true]]);
    expect(spec.databases.length).toBeGreaterThanOrEqual(3);
  });

  it('has an example with a read-only user, extensions and external access', async () => {
    const { spec } = await loadRepository(REPO);
    expect(spec.databases.some((d) => d.users.readOnly && d.extensions.length > 0 && d.access.external.length > 0)).toBe(true);
  });

  it('asks in its examples only for trusted extensions that plain PostgreSQL 15 ships (the local instance creates them)', async () => {
    const { spec } = await loadRepository(REPO);
    const catalog = loadCatalogs().get(15)!;
    const shipped = new Set(['pg_trgm', 'uuid-ossp', 'citext', 'pgcrypto', 'hstore', 'btree_gist', 'btree_gin', 'fuzzystrmatch', 'unaccent', 'ltree', 'tablefunc', 'cube', 'isn', 'intarray']);
    for (const db of spec.databases) {
      for (const name of db.extensions) {
        expect(catalog.extensions.get(name)?.trusted, name).toBe(true);
        expect(shipped.has(name), name).toBe(true);
      }
    }
  });

  it.each([
    ['databases', 'database'],
    ['instances', 'instance'],
  ])('starts every file in %s/ with the schema comment', (folder, kind) => {
    for (const file of readdirSync(join(REPO, folder))) {
      expect(readFileSync(join(REPO, folder, file), 'utf8').split('\n')[0], file).toBe(`# yaml-language-server: $schema=../schema/${kind}.schema.json`);
    }
  });
});

describe('normalised specs', () => {
  it('fills every default', () => {
    const { databases, diagnostics } = validateInMemory({ 'databases/app.yaml': validDatabase('app') });
    expect(diagnostics).toEqual([]);
    expect(databases).toEqual([
      {
        name: 'app',
        file: 'databases/app.yaml',
        team: 'team-a',
        project: 'Project A',
        contact: 'team-a@example.org',
        instance: 'shared-pg15',
        users: { readOnly: false },
        extensions: [],
        access: { external: [] },
        backup: {},
        connectionLimit: 20,
      },
    ]);
  });

  it('sorts and deduplicates extensions, and writes CIDRs canonically', () => {
    const extra = 'extensions: [uuid-ossp, citext, citext]\naccess:\n  external:\n    - cidr: 2A0E:1C80:0009:0000::/48\n      description: Partner\nconnectionLimit: 5\nbackup:\n  retentionDays: 30\ninstance: local\n';
    const { databases } = validateInMemory({ 'databases/app.yaml': validDatabase('app', extra) });
    expect(databases[0]).toMatchObject({
      extensions: ['citext', 'uuid-ossp'],
      access: { external: [{ cidr: '2a0e:1c80:9::/48', description: 'Partner' }] },
      connectionLimit: 5,
      backup: { retentionDays: 30 },
      instance: 'local',
    });
  });

  it('reads Windows line endings and a byte order mark', async () => {
    const text = validDatabase('app', 'users:\n  readOnly: true\n').replace(/\n/g, '\r\n');
    const root = tempRepo({ 'databases/app.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) });
    const { diagnostics, spec } = await loadRepository(root);
    expect(diagnostics).toEqual([]);
    expect(spec.databases[0]).toMatchObject({ name: 'app', project: 'Project A', users: { readOnly: true } });
  });

  it('leaves out files with errors, and databases whose instance has errors', () => {
    const { databases } = validateInMemory({ 'databases/good.yaml': validDatabase('good'), 'databases/bad.yaml': validDatabase('bad', 'connectionLimit: 0\n') });
    expect(databases.map((d) => d.name)).toEqual(['good']);
  });
});

describe('loadRepository', () => {
  it('locates a file and a value in it for plan errors', async () => {
    const loaded = await loadRepository(REPO);
    expect(loaded.locate('databases/studentweb.yaml')).toEqual({ file: 'databases/studentweb.yaml', line: 2, column: 1 });
    expect(loaded.locate('databases/studentweb.yaml', ['extensions', 1]).line).toBe(8);
    expect(loaded.locate('databases/nope.yaml')).toEqual({ file: 'databases/nope.yaml', line: 1, column: 1 });
  });

  it('lists every file it read', async () => {
    const { files } = await loadRepository(REPO);
    expect(files.filter((f) => f.kind === 'instance').map((f) => f.path)).toEqual(['instances/local.yaml', 'instances/shared-pg15.yaml']);
  });

  it('refuses a root that is not a folder as a usage error', async () => {
    await expect(loadRepository(join(REPO, 'no-such-folder'))).rejects.toMatchObject({ constructor: UserError, options: { exitCode: 2 } });
  });
});
