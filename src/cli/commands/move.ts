/** `platon-db move <database> --to NAME`: carry out the move a plan refuses to do implicitly. */
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { runMove, type MoveOutcome } from '../../app/move.js';
import { EXIT, type CommandIo } from '../io.js';
import type { Action } from '../main.js';
import { reportInvalidFiles } from './invalid.js';

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
    .action((database: string, options) =>
      run(async () => {
        const outcome = await runMove({
          root: resolve(io.cwd, options.root),
          env: io.env,
          database,
          to: options.to,
          from: options.from,
          execute: Boolean(options.autoApprove),
          lockTimeoutMs: options.lockTimeout * 1000,
          log: (m) => io.stderr(`${m}\n`),
        });
        return report(outcome, io);
      })(),
    );
}

function report(outcome: MoveOutcome, io: CommandIo): number {
  switch (outcome.kind) {
    case 'invalid':
      return reportInvalidFiles(outcome.diagnostics, io, 'Nothing was moved');
    case 'steps':
      io.stdout(`Moving ${outcome.database} from ${outcome.from} to ${outcome.to} takes these steps:\n`);
      outcome.steps.forEach((step, i) => io.stdout(`  ${i + 1}. ${step}\n`));
      io.stdout('Nothing was done: run again with --auto-approve to carry them out.\n');
      return EXIT.ok;
    case 'moved': {
      const c = outcome.comparison;
      io.stdout(`Moved ${outcome.database} from ${outcome.from} to ${outcome.to}.\n`);
      io.stdout(`  checked: ${c.tables} tables, ${c.rows} rows, the same on both; size ${c.sourceBytes} bytes on ${outcome.from}, ${c.targetBytes} on ${outcome.to}\n`);
      if (c.sizeWarning) io.stdout(`  ! ${c.sizeWarning}\n`);
      for (const ref of outcome.credentials) io.stdout(`  credentials: ${ref.store}:${ref.path}\n`);
      io.stdout(`  ${outcome.database} on ${outcome.from} stays retired with its data; the team now connects to ${outcome.to}.\n`);
      return EXIT.ok;
    }
  }
}
