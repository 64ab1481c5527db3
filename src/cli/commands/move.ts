/** `platon-db move <database> --to NAME`: carry out the move a plan refuses to do implicitly. */
import { Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';

export function registerMove(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('move')
    .description('move a database to another instance: create it there, copy with pg_dump/pg_restore, compare, switch, leave the source retired')
    .argument('<database>', 'the database; its file must already name the target instance')
    .requiredOption('--to <instance>', 'the instance it moves to')
    .option('--from <instance>', 'the instance it is on (default: the instance marked default)')
    .addOption(new Option('--root <dir>', 'the repository root').default('.'))
    .option('--auto-approve', 'carry the steps out; without it, move only lists them')
    .addOption(new Option('--lock-timeout <seconds>', 'how long to wait for an apply on either instance').default('300').argParser(Number))
    .addHelpText(
      'after',
      '\nBoth instances need an admin connection: PLATON_DATABASE_URL_<INSTANCE> (e.g. PLATON_DATABASE_URL_SHARED_PG15),\n' +
        'and pg_dump/pg_restore of the source major or later (postgresql-client-<major>, or PLATON_PG_BIN).\n' +
        'Exit codes: 0 moved (or steps listed), 1 error (the source is back in service unless it said otherwise), 2 usage error.',
    )
    .action((database: string, options) => run(async () => (await import('../actions/move.js')).moveAction(database, options, io))());
}
