/**
 * Where roles own or hold things across the whole instance. Connected to one database, pg_class
 * and the like show only that database's objects; pg_shdepend is shared and records, for every
 * database, each object a role owns ('o'), each ACL naming it ('a') and each row-level security
 * policy naming it ('r'), plus the same for shared objects (databases, tablespaces) with dbid 0.
 * Adoption reads it to refuse a role that belongs to more than the database being adopted.
 */
import type pg from 'pg';
import type { RoleFootprint } from '../model/state.js';
import type { Connector } from '../adapters/postgres/connector.js';
import { withReadOnlyClient } from '../adapters/postgres/read-only.js';

/** Per role of $1: per database (or the database itself, for a shared row about it), kind, how many. */
export const FOOTPRINTS = `
SELECT r.rolname AS role,
       d.datname AS database,
       (s.dbid = 0 AND s.classid = 'pg_catalog.pg_database'::pg_catalog.regclass) AS on_database,
       s.deptype AS kind,
       count(*)::int AS objects
  FROM pg_catalog.pg_shdepend s
  JOIN pg_catalog.pg_roles r ON r.oid = s.refobjid
  LEFT JOIN pg_catalog.pg_database d
    ON d.oid = CASE WHEN s.dbid = 0 AND s.classid = 'pg_catalog.pg_database'::pg_catalog.regclass THEN s.objid ELSE s.dbid END
 WHERE s.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
   AND s.deptype IN ('o', 'a', 'r')
   AND r.rolname = ANY ($1::text[])
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4`;

const KINDS: Record<string, RoleFootprint['kind']> = { o: 'owns', a: 'privileges', r: 'policies' };

export async function readFootprints(connector: Connector, roles: readonly string[]): Promise<ReadonlyMap<string, readonly RoleFootprint[]>> {
  if (roles.length === 0) return new Map();
  const rows = await withReadOnlyClient(connector, undefined, async (client) => (await client.query(FOOTPRINTS, [roles])).rows);
  const byRole = new Map<string, RoleFootprint[]>();
  for (const row of rows as pg.QueryResultRow[]) {
    const footprint: RoleFootprint = { database: row.database ?? null, onDatabase: row.on_database, kind: KINDS[row.kind as string]!, objects: row.objects };
    byRole.set(row.role, [...(byRole.get(row.role) ?? []), footprint]);
  }
  return byRole;
}
