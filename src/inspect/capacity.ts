/** What the capacity report reads beyond LiveState: sizes, sessions, the server's connection limits. */
import type { Connector } from '../adapters/postgres/connector.js';
import { withReadOnlyClient } from '../adapters/postgres/read-only.js';

export interface UsageFacts {
  readonly serverVersion: string;
  readonly maxConnections: number;
  readonly reservedConnections: number;
  /** Per database: size (null when unreadable) and open sessions. */
  readonly databases: ReadonlyMap<string, { readonly sizeBytes: number | null; readonly connections: number }>;
}

/**
 * pg_database_size needs CONNECT on the database or pg_read_all_stats (which RDS's master has
 * through rds_superuser); a database it may not read reports no size rather than failing the report.
 * Templates are left out by name only: a team may set IS_TEMPLATE on its own database, which must
 * not hide it (and its size) from the report.
 */
const USAGE = `
SELECT d.datname AS name,
       CASE WHEN has_database_privilege(d.oid, 'CONNECT') OR pg_has_role('pg_read_all_stats', 'USAGE')
            THEN pg_database_size(d.oid) END AS size,
       (SELECT count(*) FROM pg_stat_activity a WHERE a.datid = d.oid)::int AS connections
  FROM pg_database d
 WHERE d.datname NOT IN ('template0', 'template1')
 ORDER BY d.datname`;

const SETTINGS = `SELECT current_setting('server_version') AS version,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS reserved`;

export async function readUsage(connector: Connector): Promise<UsageFacts> {
  return withReadOnlyClient(connector, undefined, async (client) => {
    const settings = (await client.query<{ version: string; max_connections: number; reserved: number }>(SETTINGS)).rows[0]!;
    const { rows } = await client.query<{ name: string; size: string | null; connections: number }>(USAGE);
    return {
      serverVersion: settings.version,
      maxConnections: settings.max_connections,
      reservedConnections: settings.reserved,
      databases: new Map(rows.map((r) => [r.name, { sizeBytes: r.size === null ? null : Number(r.size), connections: r.connections }])),
    };
  });
}
