/** Runs the CLI in-process against the test server (as PLATON_DATABASE_URL) and a temporary repository. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from './run-cli.js';
import { adminUrl } from './postgres.js';

export const REPO = join(import.meta.dirname, '..', '..');

export type { CliRun as CliResult } from './run-cli.js';

/** The CLI against the test server (PLATON_DATABASE_URL is the RDS-like admin) and a fixed commit. */
export const cli = (args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> =>
  runCli(args, { env: { PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: 'abc123', ...env } });

/** A repository in a temporary folder with the real instances/ (unless given) and `files`. */
export function tempRepository(files: Record<string, string> = {}, options: { instances?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'platon-db-repo-'));
  if (options.instances !== false) cpSync(join(REPO, 'instances'), join(root, 'instances'), { recursive: true });
  mkdirSync(join(root, 'databases'), { recursive: true });
  mkdirSync(join(root, 'instances'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}
