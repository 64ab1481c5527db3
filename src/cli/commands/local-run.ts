/** `platon-db local-run` (what `npm start` runs): the main job, end to end, on the local instance. */
import type { Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';

export function registerLocalRun(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('local-run')
    .description('validate, plan, apply and plan again on the local embedded instance (what npm start runs)')
    .option('--root <dir>', 'the repository root', '.')
    .option('--instance <name>', 'the local instance file to use', 'local')
    .addHelpText('after', '\nExit codes: 0 when the second plan is empty, 1 otherwise.')
    .action((options) => run(async () => (await import('../actions/local-run.js')).localRunAction(options, io))());
}
