/** `platon-db import <database>`: write databases/<name>.yaml for a database made by hand. */
import { Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';

export function registerImport(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('import')
    .description('describe a database that exists on the instance but was made by hand, as databases/<name>.yaml with adopt: true (reads only)')
    .argument('<database>', 'the existing database')
    .addOption(new Option('--instance <name>', 'the instance it lives on (default: the instance marked default)'))
    .addOption(new Option('--root <dir>', 'the repository root').default('.'))
    .option('--team <slug>', 'the GitHub team that owns it (else a TODO the reviewer must fill in)')
    .option('--project <name>', 'the project that uses it (else a TODO)')
    .option('--contact <email>', "the team's e-mail address (else a TODO)")
    .option('--rw <role>', 'the existing read/write login role, when import cannot tell')
    .option('--ro <role>', 'the existing read-only login role, when import cannot tell')
    .addHelpText('after', '\nExit codes: 0 written (fill in any TODO before the pull request), 1 error, 2 usage error.')
    .action((database: string, options) => run(async () => (await import('../actions/import.js')).importAction(database, options, io))());
}
