import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/model/change.js';
import { toSql } from '../../src/sql/to-sql.js';
import { parseMarker, markerComment } from '../../src/sql/marker.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { marker } from '../support/states.js';

const m = marker('shop');
const secret = { store: 'file', path: 'local/shop/rw', database: 'shop', user: 'rw' } as const;
const text = (change: Change) => toSql(change).map((s) => s.sql);

describe('toSql', () => {
  it.each<[Change, string[]]>([
    [{ kind: 'create-database', database: 'a"b', owner: 'a"b_owner', marker: m }, [
      'CREATE DATABASE "a""b" OWNER "a""b_owner"',
      `COMMENT ON DATABASE "a""b" IS '${markerComment(m)}'`,
    ]],
    [{ kind: 'create-role', database: 'shop', role: 'shop_owner', login: false, marker: m }, [
      'CREATE ROLE "shop_owner" NOLOGIN',
      `COMMENT ON ROLE "shop_owner" IS '${markerComment(m)}'`,
    ]],
    [{ kind: 'grant-membership', database: 'x', role: 'Select', member: 'has"quote' }, ['GRANT "Select" TO "has""quote"']],
    [{ kind: 'revoke-membership', database: 'x', role: 'x_owner', member: 'eve' }, ['REVOKE "x_owner" FROM "eve"']],
    [{ kind: 'revoke-public', database: 'x', privileges: ['CONNECT'] }, ['REVOKE ALL ON DATABASE "x" FROM PUBLIC']],
    [{ kind: 'grant-connect', database: 'x', role: 'x_ro' }, ['GRANT CONNECT ON DATABASE "x" TO "x_ro"']],
    [{ kind: 'set-role-setting', database: 'x', role: 'x_rw', setting: 'role', value: "x'_owner" }, [
      `ALTER ROLE "x_rw" SET "role" = 'x''_owner'`,
    ]],
    [{ kind: 'grant-schema-read', database: 'x', schema: 'my schema', role: 'x_ro' }, [
      'GRANT USAGE ON SCHEMA "my schema" TO "x_ro"',
      'GRANT SELECT ON ALL TABLES IN SCHEMA "my schema" TO "x_ro"',
      'GRANT SELECT ON ALL SEQUENCES IN SCHEMA "my schema" TO "x_ro"',
    ]],
    [{ kind: 'grant-default-privileges', database: 'x', owner: 'x_owner', role: 'x_ro', target: 'schemas' }, [
      'ALTER DEFAULT PRIVILEGES FOR ROLE "x_owner" GRANT USAGE ON SCHEMAS TO "x_ro"',
    ]],
    [{ kind: 'create-extension', database: 'x', extension: 'uuid-ossp' }, ['CREATE EXTENSION IF NOT EXISTS "uuid-ossp" SCHEMA public']],
    [{ kind: 'drop-extension', database: 'x', extension: 'citext' }, ['DROP EXTENSION "citext"']],
    [{ kind: 'alter-role', database: 'x', role: 'x_ro', login: false, connectionLimit: 5 }, ['ALTER ROLE "x_ro" NOLOGIN CONNECTION LIMIT 5']],
  ])('%j', (change, expected) => {
    expect(text(change)).toEqual(expected);
  });

  it('never puts a password in SQL: login roles carry a placeholder and a secret reference', () => {
    const [create] = toSql({ kind: 'create-role', database: 'shop', role: 'shop_rw', login: true, connectionLimit: 20, marker: m, secret });
    expect(create).toEqual({ sql: 'CREATE ROLE "shop_rw" LOGIN CONNECTION LIMIT 20 PASSWORD :password', password: secret });
  });

  it('escapes backslashes and quotes in marker comments', () => {
    const odd = { ...m, team: "o'brien\\x" };
    const [, comment] = text({ kind: 'create-role', database: 'shop', role: 'r', login: false, marker: odd });
    expect(comment).toBe(`COMMENT ON ROLE "r" IS E'${markerComment(odd).replace(/'/g, "''").replace(/\\/g, '\\\\')}'`);
  });
});

describe('markers', () => {
  it('round-trips and rejects comments that are not ours', () => {
    expect(parseMarker(markerComment(m))).toEqual(m);
    for (const comment of [null, '', 'hand made', '{"managedBy":"terraform","file":"x"}', '{broken', '[]', 'null']) {
      expect(parseMarker(comment)).toBeNull();
    }
  });
  it('quotes identifiers with one helper', () => {
    expect(quoteIdent('has"quote')).toBe('"has""quote"');
  });
});
