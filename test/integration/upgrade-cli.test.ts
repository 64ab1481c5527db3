/** upgrade-check and catalog --from-live through the CLI against the test server (PostgreSQL 15). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSchema } from '../../src/validate/schemas.js';
import { cli, tempRepository } from '../support/cli.js';
import { dropPrefixed } from '../support/postgres.js';

const DB = 'up_words';
let root: string;
beforeAll(async () => {
  root = tempRepository({
    [`databases/${DB}.yaml`]: `# yaml-language-server: $schema=../schema/database.schema.json\nname: ${DB}\nteam: words\nproject: Words\ncontact: words@example.org\nextensions: [fuzzystrmatch, pg_trgm]\n`,
  });
  expect((await cli(['apply', '--root', root, '--instance', 'local', '--auto-approve'])).code).toBe(0);
});
afterAll(() => dropPrefixed('up_'));

describe('platon-db upgrade-check', () => {
  it('reads the installed versions and asks for the update 16 brings', async () => {
    const r = await cli(['upgrade-check', '--to', '16', '--root', root, '--instance', 'local']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${DB} (words):`);
    expect(r.out).toContain('update: fuzzystrmatch 1.1 is older than 1.2, the version PostgreSQL 16 installs: run ALTER EXTENSION "fuzzystrmatch" UPDATE after the upgrade');
    expect(r.out).toContain('Ready: every extension in use is offered on PostgreSQL 16.');
  });

  it('checks the files alone with --offline, as JSON', async () => {
    const r = await cli(['upgrade-check', '--to', '17', '--offline', '--format', 'json', '--root', root, '--instance', 'local'], { PLATON_DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/postgres' });
    expect(r.code).toBe(0);
    const check = JSON.parse(r.out);
    expect(check).toMatchObject({ from: 15, to: 17, live: false, ready: true });
    expect(check.databases.find((d: { name: string }) => d.name === DB).findings).toEqual([]);
  });

  it('refuses a major without a catalog as a usage error', async () => {
    const r = await cli(['upgrade-check', '--to', '18', '--offline', '--root', root, '--instance', 'local']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('catalogs exist for 15, 16, 17');
  });
});

describe('platon-db catalog --from-live', () => {
  it('makes a valid catalog from pg_available_extension_versions off RDS, with trusted flags and versions', async () => {
    const r = await cli(['catalog', '--from-live', '--root', root, '--instance', 'local']);
    expect(r.code).toBe(0);
    const catalog = JSON.parse(r.out);
    expect(checkSchema('catalog', catalog)).toEqual([]);
    expect(catalog.postgresMajor).toBe(15);
    expect(catalog.source.compiled).toContain('not RDS');
    const byName = new Map(catalog.extensions.map((e: { name: string }) => [e.name, e]));
    expect(byName.get('pg_trgm')).toMatchObject({ trusted: true, preload: false, defaultVersion: '1.6' });
    expect(byName.get('postgres_fdw')).toMatchObject({ trusted: false });
    expect(byName.get('pg_stat_statements')).toMatchObject({ preload: true });
    expect((byName.get('pg_trgm') as { versions: string[] }).versions).toContain('1.6');
  });
});
