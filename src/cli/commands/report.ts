/** `platon-db report`: the capacity report in text, markdown, JSON or one static HTML page. */
import { Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';
import { REPORT_FORMATS } from '../../render/formats.js';

export function registerReport(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('report')
    .description('capacity report: per database its team, size, connections and limit, extensions, networks; instance totals against limits (reads only)')
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('text'))
    .addOption(new Option('--instance <name>', 'the instance (default: the instance marked default)'))
    .addOption(new Option('--root <dir>', 'the repository root').default('.'))
    .option('--out <file>', 'write the report to this file instead of standard output (e.g. capacity.html to publish)')
    .addHelpText('after', '\nExit codes: 0 reported (findings do not change it), 1 error, 2 usage error.')
    .action((options) => run(async () => (await import('../actions/report.js')).reportAction(options, io))());
}
