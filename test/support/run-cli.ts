/** Runs `platon-db` in-process with captured output, as a test's shell would see it. */
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CommandIo } from '../../src/model/command-io.js';

const REPO = join(import.meta.dirname, '..', '..');

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Not a terminal; run from the repository with no environment unless `io` says otherwise. */
export async function runCli(args: readonly string[], io: Partial<Omit<CommandIo, 'stdout' | 'stderr'>> = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(args, { isTty: false, cwd: REPO, env: {}, ...io, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}
