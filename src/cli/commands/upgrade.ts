/** `platon-db upgrade-check --to <major>` and `platon-db catalog --from-live`. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';

function major(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 10) throw new InvalidArgumentError('a PostgreSQL major version, e.g. 16');
  return n;
}

export function registerUpgrade(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('upgrade-check')
    .description("list, per database, extensions the target PostgreSQL major does not offer or that need an update (reads only)")
    .requiredOption('--to <major>', 'the target major version, e.g. 16 or 17', major)
    .addOption(new Option('--instance <name>', 'the instance (default: the instance marked default)'))
    .addOption(new Option('--root <dir>', 'the repository root').default('.'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--offline', "check the files' extensions without connecting (no installed versions)")
    .addHelpText('after', '\nExit codes: 0 ready, 1 an extension in use is missing on the target (or an error), 2 usage error.')
    .action((options) => run(async () => (await import('../actions/upgrade.js')).upgradeCheckAction(options, io))());

  program
    .command('catalog')
    .description('write an extension catalog (schema/extensions/rds-postgres-<major>.json) from what a live instance offers')
    .requiredOption('--from-live', 'read the catalog from the live instance (the only source so far)')
    .addOption(new Option('--instance <name>', 'the instance to read (default: the instance marked default)'))
    .addOption(new Option('--root <dir>', 'the repository root').default('.'))
    .option('--out <file>', 'write it to this file instead of standard output')
    .addHelpText('after', '\nReview the result before replacing a catalog: preload and special-setup facts cannot be read from a server.\nExit codes: 0 written, 1 error, 2 usage error.')
    .action((options) => run(async () => (await import('../actions/upgrade.js')).catalogAction(options, io))());
}
