/** What extensions a live server offers: RDS's own list when it has one, and PostgreSQL's catalogs. */
import type { Connector } from '../adapters/postgres/connector.js';
import { withReadOnlyClient } from '../adapters/postgres/read-only.js';

export interface AvailableExtensions {
  readonly serverVersion: string;
  readonly major: number;
  /** `SHOW rds.extensions`, split; absent off RDS. */
  readonly rdsExtensions?: readonly string[];
  /** pg_available_extension_versions, by name: versions sorted as the server lists them. */
  readonly available: ReadonlyMap<string, { readonly defaultVersion: string; readonly trusted: boolean; readonly versions: readonly string[] }>;
}

const VERSIONS = `
SELECT v.name, v.version, v.trusted, e.default_version
  FROM pg_available_extension_versions v JOIN pg_available_extensions e ON e.name = v.name
 ORDER BY v.name, v.version`;

export async function readAvailableExtensions(connector: Connector): Promise<AvailableExtensions> {
  return withReadOnlyClient(connector, undefined, async (client) => {
    const server = (await client.query<{ version: string; major: number }>(`SELECT current_setting('server_version') AS version, current_setting('server_version_num')::int / 10000 AS major`)).rows[0]!;
    // AWS warns rds.extensions can miss extensions a minor release added, so both are read.
    const rds = await client.query<{ value: string }>(`SELECT current_setting('rds.extensions', true) AS value`);
    const { rows } = await client.query<{ name: string; version: string; trusted: boolean; default_version: string }>(VERSIONS);
    const available = new Map<string, { defaultVersion: string; trusted: boolean; versions: string[] }>();
    for (const row of rows) {
      const entry = available.get(row.name) ?? { defaultVersion: row.default_version, trusted: false, versions: [] };
      entry.versions.push(row.version);
      // The trusted flag of the version CREATE EXTENSION installs is the one that matters.
      if (row.version === row.default_version) entry.trusted = row.trusted;
      available.set(row.name, entry);
    }
    const listed = rds.rows[0]?.value;
    return {
      serverVersion: server.version,
      major: server.major,
      ...(listed ? { rdsExtensions: listed.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      available,
    };
  });
}
