/**
 * The checks a move makes before it switches: every table of the source exists in the copy with
 * the same number of rows, and the two sizes side by side (a fresh copy has no bloat, so it may be
 * smaller; only a copy far off the source's size is worth a warning).
 */
import type { Connector } from '../adapters/postgres/connector.js';
import { withReadOnlyClient } from '../adapters/postgres/read-only.js';
import { quoteIdent } from '../sql/quote.js';

export interface DatabaseCensus {
  readonly sizeBytes: number;
  /** `schema.table` -> exact row count. */
  readonly rows: ReadonlyMap<string, number>;
}

/** The team's tables: not the catalogs, not what an extension owns (the extension makes those). */
const TABLES = `
SELECT n.nspname AS schema, c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY 1, 2`;

/**
 * Exact counts in one REPEATABLE READ snapshot, so the numbers belong together. The tables are the
 * team's: a plain count(*) fires no trigger, and row_security = off makes PostgreSQL refuse a
 * table whose row-level security would apply to the admin ("query would be affected by row-level
 * security policy") instead of running the team's policy expressions, and their functions, as
 * the admin and counting only the rows they let through.
 */
export async function census(connector: Connector, database: string): Promise<DatabaseCensus> {
  return withReadOnlyClient(
    connector,
    database,
    async (client) => {
      await client.query('SET LOCAL row_security = off');
      const size = (await client.query<{ size: string }>('SELECT pg_catalog.pg_database_size(pg_catalog.current_database()) AS size')).rows[0]!.size;
      const tables = (await client.query<{ schema: string; name: string }>(TABLES)).rows;
      const rows = new Map<string, number>();
      for (const t of tables) {
        const { rows: [count] } = await client.query<{ n: string }>(`SELECT pg_catalog.count(*) AS n FROM ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
        rows.set(`${t.schema}.${t.name}`, Number(count!.n));
      }
      return { sizeBytes: Number(size), rows };
    },
    { snapshot: true },
  );
}

export interface Comparison {
  readonly ok: boolean;
  readonly tables: number;
  readonly rows: number;
  /** Tables missing from the copy, extra in it, or with another row count. */
  readonly problems: readonly string[];
  readonly sourceBytes: number;
  readonly targetBytes: number;
  /** The sizes differ more than a fresh copy explains. */
  readonly sizeWarning?: string;
}

/** Pure. */
export function compareCensus(source: DatabaseCensus, target: DatabaseCensus): Comparison {
  const problems: string[] = [];
  for (const [table, n] of source.rows) {
    const copied = target.rows.get(table);
    if (copied === undefined) problems.push(`${table} is missing from the copy`);
    else if (copied !== n) problems.push(`${table} has ${copied} rows in the copy, ${n} in the source`);
  }
  for (const table of target.rows.keys()) if (!source.rows.has(table)) problems.push(`${table} is in the copy but not in the source`);
  const ratio = source.sizeBytes > 0 ? target.sizeBytes / source.sizeBytes : 1;
  const sizeWarning =
    ratio < 0.5 || ratio > 1.5
      ? `the copy is ${Math.round(ratio * 100)}% of the source's size (${target.sizeBytes} against ${source.sizeBytes} bytes); a fresh copy has no bloat, but check that this is why`
      : undefined;
  return {
    ok: problems.length === 0,
    tables: source.rows.size,
    rows: [...source.rows.values()].reduce((a, b) => a + b, 0),
    problems,
    sourceBytes: source.sizeBytes,
    targetBytes: target.sizeBytes,
    ...(sizeWarning ? { sizeWarning } : {}),
  };
}
