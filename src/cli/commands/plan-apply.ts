/** `platon-db plan` and `platon-db apply`. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';

const rootOption = () => new Option('--root <dir>', 'the repository root').default('.');
const instanceOption = (purpose: string) => new Option('--instance <name>', `the instance to ${purpose} (default: the instance marked default)`);

export function registerPlanAndApply(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('plan')
    .description('show what an apply would change on the live instance (reads only)')
    .addOption(rootOption())
    .addOption(instanceOption('plan for'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--detailed-exitcode', 'exit 2 when the plan has changes or a drop waits for --allow-destroy, 0 when it has none')
    .option('--allow-destroy', 'plan drops of what the files no longer ask for (extensions)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 error (invalid files, plan errors, server unreachable), 2 changes (with --detailed-exitcode) or usage error.')
    .action((options) => run(async () => (await import('../actions/plan-apply.js')).planAction(options, io))());

  program
    .command('apply')
    .description('make the live instance match databases/ (one apply at a time per instance)')
    .addOption(rootOption())
    .addOption(instanceOption('apply to'))
    .option('--auto-approve', 'apply without asking (CI); required when stdin is not a terminal')
    .option('--allow-destroy', 'also drop what the files no longer ask for (extensions); never CASCADE')
    .addOption(new Option('--lock-timeout <seconds>', 'how long to wait for another apply on the instance').default('300').argParser(seconds))
    .option('--result-file <file>', 'also write what happened as JSON, for platon-db report-apply (written on failure too)')
    .addHelpText('after', '\nExit codes: 0 applied (or nothing to do), 1 error or declined; what was applied is printed either way.')
    .action((options) => run(async () => (await import('../actions/plan-apply.js')).applyAction(options, io))());
}

function seconds(value: string): number {
  const n = Number(value);
  // InvalidArgumentError: commander reports it as a usage error, not as an internal one.
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`--lock-timeout takes a number of seconds, not ${value}`);
  return n;
}
