/**
 * Catalog reads in a READ ONLY transaction. The pinned search_path (connector.ts) keeps team code
 * out of the admin's queries; this is the second wall: should a team's function or view run
 * anyway, PostgreSQL refuses its INSERT, GRANT or CREATE ROLE ("cannot execute ... in a read-only
 * transaction"), and a function cannot switch the transaction back to read/write once it has
 * started reading.
 */
import type pg from 'pg';
import type { Connector } from './connector.js';
import { withClient } from './connector.js';

export interface ReadOnlyOptions {
  /** REPEATABLE READ: every query sees one snapshot (numbers that must belong together). */
  readonly snapshot?: boolean;
}

/** Runs `fn` inside BEGIN READ ONLY ... COMMIT on `client`; rolls back when it throws. */
export async function readOnly<T>(client: pg.Client, fn: (client: pg.Client) => Promise<T>, options: ReadOnlyOptions = {}): Promise<T> {
  await client.query(options.snapshot ? 'BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN TRANSACTION READ ONLY');
  try {
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The statements `sql` (no parameters; values already quoted) inside BEGIN READ ONLY ... COMMIT,
 * sent as one simple-protocol message: the same transaction as readOnly(), in one round trip
 * instead of three (a plan reads hundreds of databases, each across the network on RDS). Should
 * a statement fail, PostgreSQL skips the rest of the message, COMMIT included; the transaction is
 * rolled back. Returns the results of `sql`'s statements, in order.
 */
export async function readOnlyBatch(client: pg.Client, sql: readonly string[]): Promise<pg.QueryResult[]> {
  try {
    // Several statements in one message: pg returns one result per statement.
    const results = (await client.query(['BEGIN TRANSACTION READ ONLY', ...sql, 'COMMIT'].join(';\n'))) as unknown as pg.QueryResult[];
    return results.slice(1, -1);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A fresh client on `database` (the maintenance database when undefined), reading only. */
export function withReadOnlyClient<T>(connector: Connector, database: string | undefined, fn: (client: pg.Client) => Promise<T>, options: ReadOnlyOptions = {}): Promise<T> {
  return withClient(connector, database, (client) => readOnly(client, fn, options));
}
