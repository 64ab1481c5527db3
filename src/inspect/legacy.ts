/**
 * What `platon-db import` needs beyond LiveState: which roles can write inside a database that
 * platon-db did not create. One query, run as the admin inside that database.
 */
import type { Connector } from '../adapters/postgres/connector.js';
import { withReadOnlyClient } from '../adapters/postgres/read-only.js';

/**
 * For each role in $1: may it INSERT into some table, or CREATE in some schema, of this database.
 * has_table_privilege takes any role, so this works without being a member of the roles.
 */
const WRITERS = `
SELECT r.rolname AS name,
       EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg_toast%' AND has_table_privilege(r.oid, c.oid, 'INSERT'))
       OR EXISTS (SELECT 1 FROM pg_namespace n
                   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                     AND n.nspname NOT LIKE 'pg_temp%' AND has_schema_privilege(r.oid, n.oid, 'CREATE')) AS writes
  FROM pg_roles r
 WHERE r.rolname = ANY($1::text[])`;

/** Roles of `roles` that can write in `database`; undefined when the admin cannot connect to it. */
export async function writersIn(connector: Connector, database: string, roles: readonly string[]): Promise<ReadonlySet<string> | undefined> {
  try {
    return await withReadOnlyClient(connector, database, async (client) => {
      const { rows } = await client.query<{ name: string; writes: boolean }>(WRITERS, [roles]);
      return new Set(rows.filter((r) => r.writes).map((r) => r.name));
    });
  } catch {
    return undefined;
  }
}
