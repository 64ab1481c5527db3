/**
 * What a team can change on its own database with ALTER DATABASE (tested as a team login on
 * PostgreSQL 15: the owner needs no CREATEDB for any of these), and what the plan does about it.
 * Pure.
 *
 * - IS_TEMPLATE true: a template may not be dropped, and any role with CONNECT (PUBLIC, once the
 *   team grants it) may copy it with CREATE DATABASE ... TEMPLATE. Put back to false.
 * - ALLOW_CONNECTIONS false (set from another database) and CONNECTION LIMIT (0, say): they refuse
 *   the admin too, which is not a superuser on RDS, so nothing in the database could be planned.
 *   Put back to true and to -1 (platon-db limits each login user instead: `connectionLimit`).
 * - Database-level settings (ALTER DATABASE ... SET) are the team's: ARCHITECTURE.md, "The hostile
 *   tenant", gives a team its database's settings, and applications rely on search_path,
 *   statement_timeout or timezone there. They reach only sessions in this database, which no other
 *   team can open, and platon-db's own sessions override the ones that would change how its SQL
 *   runs (startup options, see adapters/postgres/connector.ts), so those are reported, not reset.
 *   The exception is `role`: it makes every session in the database SET ROLE, so Platon's tools
 *   (pg_dump during a move, a monitoring login) would act as the team's role or could not log in
 *   at all; no team needs it at database level, so apply resets it.
 *   Superuser-only settings (session_preload_libraries, log_statement, ...) a team cannot set.
 */
import type { Change, Note } from '../model/change.js';
import type { LiveDatabase } from '../model/state.js';

/** Reset by apply: settings that act on other roles' sessions, not the team's. */
const RESET = new Set(['role']);

/** Kept, and reported: the settings platon-db's own sessions override at connect time. */
const OVERRIDDEN = new Set([
  'search_path',
  'default_transaction_read_only',
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
  'idle_session_timeout',
]);

/** The connection limit platon-db leaves on a database: none (each login user has its own). */
export const DATABASE_CONNECTION_LIMIT = -1;

export function diffDatabaseDrift(database: string, live: LiveDatabase): { changes: Change[]; notes: Note[] } {
  const settings = live.settings ?? {};
  const reset = Object.keys(settings).filter((name) => RESET.has(name)).sort();
  const limit = live.connectionLimit ?? DATABASE_CONNECTION_LIMIT;
  const fixes = {
    ...(live.isTemplate === true ? { isTemplate: false as const } : {}),
    ...(live.allowConnections === false ? { allowConnections: true as const } : {}),
    ...(limit !== DATABASE_CONNECTION_LIMIT ? { connectionLimit: DATABASE_CONNECTION_LIMIT } : {}),
    ...(reset.length > 0 ? { resetSettings: reset } : {}),
  };
  const change: Change = { kind: 'alter-database', database, ...fixes, was: { connectionLimit: limit, settings } };
  const notes: Note[] = Object.keys(settings)
    .filter((name) => OVERRIDDEN.has(name))
    .sort()
    .map((name) => ({
      kind: 'warning',
      database,
      message:
        `database ${database} sets ${name} = ${settings[name]} (ALTER DATABASE ... SET): the team's own sessions use it; ` +
        "platon-db's sessions override it when they connect, so it is kept (a team's database settings are its own)",
    }));
  return { changes: Object.keys(fixes).length > 0 ? [change] : [], notes };
}
