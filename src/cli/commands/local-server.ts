/** `platon-db local-server`: keep the local instance running so people can connect to it. */
import type { Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';

export function registerLocalServer(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('local-server')
    .description('run the local embedded PostgreSQL in the foreground until Ctrl-C (to connect with psql)')
    .option('--root <dir>', 'the repository root', '.')
    .option('--instance <name>', 'the local instance file to use', 'local')
    .action((options) => run(async () => (await import('../actions/local-server.js')).localServerAction(options, io))());
}
