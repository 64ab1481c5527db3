/** `platon-db verify`: the live instance's isolation, from its catalogs; reads only. */
import { Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';

export function registerVerify(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('verify')
    .description("check on the live instance that every team's users reach only their own database (reads the catalogs in a READ ONLY transaction; changes nothing)")
    .addOption(new Option('--root <dir>', 'the repository root').default('.'))
    .addOption(new Option('--instance <name>', 'the instance to check (default: the instance marked default)'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--database <name...>', 'check only these managed databases and their roles'))
    .addHelpText(
      'after',
      [
        '',
        'Checks every managed role on every managed database (CONNECT, CREATE, TEMPORARY as PostgreSQL',
        "answers them), PUBLIC's rights, members of the team roles, the team roles' own memberships, and",
        'SUPERUSER/CREATEROLE/CREATEDB/REPLICATION/BYPASSRLS on them. postgres and template1 granting',
        'CONNECT to PUBLIC is a warning.',
        '',
        'Exit codes: 0 no problems (warnings allowed), 1 problems found or an error, 2 usage error.',
      ].join('\n'),
    )
    .action((options) => run(async () => (await import('../actions/verify.js')).verifyAction(options, io))());
}
