/**
 * The data of one database from one server to another: pg_dump (custom format) as the source's
 * admin, then pg_restore into the database the target's plan created, logged in as the team's own
 * read/write user and acting as its owner role, in one transaction.
 *
 * Not as the admin: a restore runs the team's code (CHECK constraints and domain checks on every
 * copied row, index expressions, materialized view queries), and `--role` is no wall around it: a
 * function may RESET ROLE back to the session's login, so with the admin logged in the team's
 * code could grant itself another team's role or create roles. Logged in as the team, it can do
 * only what the team can do anyway. (pg_dump runs no team code: it reads the catalogs with an
 * empty search_path and the rows with COPY and row_security off.) Without owners and privileges from the source:
 * the target's own roles own everything, and its plan grants read access as on any database.
 * Extensions are not restored: the file lists them and the plan made them on the target.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPgTool, libpqTarget, runPgTool, type PgTool } from '../adapters/postgres/pg-tools.js';
import { UserError } from '../model/user-error.js';

export interface CopyRequest {
  readonly database: string;
  readonly sourceUrl: string;
  readonly targetUrl: string;
  /** The role that owns the database on the target; restored objects belong to it. */
  readonly owner: string;
  /** The team's read/write login on the target (a member of `owner`): the restore runs as it. */
  readonly restoreAs: { readonly user: string; readonly password: string };
  /** The source server's major version: the tools must be at least as new. */
  readonly major: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** TOC entries the target already has from its plan: the extensions and their comments. */
const SKIPPED = /^\d+;\s*\d+\s+\d+\s+(EXTENSION|COMMENT - EXTENSION)\s/;

export async function copyDatabase(request: CopyRequest): Promise<{ skipped: number }> {
  const tool = (name: PgTool) => {
    const path = findPgTool(name, request.major, request.env);
    if (!path) {
      throw new UserError(`${name} for PostgreSQL ${request.major} or later is not installed`, {
        hint: `install postgresql-client-${request.major} (Debian), or set PLATON_PG_BIN to the folder that has pg_dump and pg_restore`,
      });
    }
    return path;
  };
  const [dump, restore] = [tool('pg_dump'), tool('pg_restore')];
  const from = libpqTarget(request.sourceUrl, request.database);
  const to = libpqTarget(loginUrl(request.targetUrl, request.restoreAs), request.database);
  const secrets = [from.env.PGPASSWORD!, to.env.PGPASSWORD!];
  const folder = await mkdtemp(join(tmpdir(), 'platon-db-move-'));
  try {
    const file = join(folder, `${request.database}.dump`);
    await runPgTool(dump, ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, ...from.args], from.env, secrets);
    const toc = await runPgTool(restore, ['--list', file], {}, secrets);
    const lines = toc.split('\n');
    const kept = lines.filter((line) => !SKIPPED.test(line));
    const list = join(folder, 'restore.list');
    await writeFile(list, kept.join('\n'));
    await runPgTool(
      restore,
      ['--no-owner', '--no-privileges', `--role=${request.owner}`, '--single-transaction', '--exit-on-error', `--use-list=${list}`, ...to.args, file],
      to.env,
      secrets,
    );
    return { skipped: lines.length - kept.length };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The admin URL's server with the team's login instead of the admin's. */
function loginUrl(adminUrl: string, login: { readonly user: string; readonly password: string }): string {
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(login.user);
  url.password = encodeURIComponent(login.password);
  return url.href;
}

/** For tests and messages: whether the tools are there at all. */
export const pgToolsInstalled = (major: number, env: Readonly<Record<string, string | undefined>> = process.env): boolean =>
  findPgTool('pg_dump', major, env) !== undefined && findPgTool('pg_restore', major, env) !== undefined;

