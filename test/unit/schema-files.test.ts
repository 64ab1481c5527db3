/** The JSON Schemas and the extension catalog: the promises the issue makes about them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogs } from '../../src/load/catalogs.js';
import { checkSchema, schemaOf, type JsonSchema, type SchemaName } from '../../src/validate/schemas.js';
import { REPO } from './validate-helpers.js';

/** Every subschema with its path, walking properties, items, oneOf and then. */
function* subschemas(schema: JsonSchema, path = '#'): Generator<[string, JsonSchema]> {
  yield [path, schema];
  for (const [name, sub] of Object.entries(schema.properties ?? {})) yield* subschemas(sub, `${path}/properties/${name}`);
  if (schema.items) yield* subschemas(schema.items, `${path}/items`);
  for (const [i, sub] of (schema.oneOf ?? []).entries()) yield* subschemas(sub, `${path}/oneOf/${i}`);
}

describe.each(['database', 'instance', 'catalog'] as SchemaName[])('%s schema', (name) => {
  const schema = schemaOf(name);
  it('is JSON Schema 2020-12 and compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => checkSchema(name, {})).not.toThrow();
  });
  it('forbids unknown keys on every object', () => {
    const open = [...subschemas(schema)].filter(([, s]) => s.properties && s.additionalProperties !== false).map(([p]) => p);
    expect(open).toEqual([]);
  });
  it('describes every property, so editors show help', () => {
    const undescribed = [...subschemas(schema)].filter(([p, s]) => p !== '#' && typeof s.description !== 'string').map(([p]) => p);
    expect(undescribed).toEqual([]);
  });
});

describe('extension catalogs', () => {
  const files = readdirSync(join(REPO, 'schema/extensions'));
  it.each(files)('%s matches the catalog schema, sorted and unique', (file) => {
    const raw = JSON.parse(readFileSync(join(REPO, 'schema/extensions', file), 'utf8')) as { extensions: { name: string }[]; postgresMajor: number };
    expect(checkSchema('catalog', raw)).toEqual([]);
    const names = raw.extensions.map((e) => e.name);
    expect(names).toEqual([...new Set(names)].sort());
    expect(file).toBe(`rds-postgres-${raw.postgresMajor}.json`);
  });

  const pg15 = loadCatalogs().get(15)!;
  it('marks as trusted exactly the PostgreSQL 13+ trusted extensions it lists', () => {
    // From PostgreSQL's documentation (shared/design/RDS.md).
    const trusted = 'bool_plperl btree_gin btree_gist citext cube dict_int fuzzystrmatch hstore intarray isn jsonb_plperl ltree pg_trgm pgcrypto plperl plpgsql pltcl tablefunc tsm_system_rows tsm_system_time unaccent uuid-ossp'.split(' ');
    expect([...pg15.extensions.values()].filter((e) => e.trusted).map((e) => e.name)).toEqual(trusted);
  });
  it('marks the extensions that need shared_preload_libraries', () => {
    const preload = 'auto_explain orafce pgaudit pglogical pg_bigm pg_cron pg_hint_plan pg_prewarm pg_similarity pg_stat_statements pg_transport plprofiler pg_tle plrust'.split(' ');
    // auto_explain is a module, not an extension: RDS loads it without CREATE EXTENSION.
    for (const name of preload.filter((n) => n !== 'auto_explain')) expect(pg15.extensions.get(name)?.preload, name).toBe(true);
    expect(pg15.extensions.get('orafce')?.unsure).toEqual(['preload']);
  });
  it('explains every special setup', () => {
    const unexplained = [...pg15.extensions.values()].filter((e) => e.specialSetup && !e.setupNote).map((e) => e.name);
    expect(unexplained).toEqual([]);
  });
});
