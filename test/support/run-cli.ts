/** Runs `platon-db` in-process with captured output, as a test's shell would see it. */
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(args: readonly string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTty: false, cwd: options.cwd, env: options.env });
  return { code, out, err };
}
