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

/**
 * stderr without the one line an apply prints while it waits for the instance's apply lock. Test
 * files apply to the instance "local" of the one test server at the same time, so an apply may
 * have to wait for another file's: that is the lock working, not an error of the run under test.
 */
export const withoutLockWait = (stderr: string): string => stderr.replace(/^another platon-db run is applying to instance \S+; waiting up to \d+ s\n/gm, '');
