/** `platon-db audit`: who ordered and changed each database, through which reviewed PR, and what is live. */
import { Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';
import { AUDIT_FORMATS } from '../../render/formats.js';

export function registerAudit(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('audit')
    .description('who ordered and changed a database (commit, author, date, PR, approvers) and which commit each live object was applied from')
    .argument('[database]', 'one database (default: every database main ever had, and every managed one live)')
    .option('--root <dir>', 'the repository (a git clone with the history of main)', '.')
    .option('--instance <name>', 'the instance whose objects to read (default: the instance marked default)')
    .addOption(new Option('--format <format>', 'output format').choices(AUDIT_FORMATS).default('text'))
    .option('--main <ref>', 'the branch the history is read from (default: origin/main, else main)')
    .option('--no-live', 'git history only: do not connect to the instance')
    .addHelpText(
      'after',
      '\nWith GITHUB_TOKEN and GITHUB_REPOSITORY, each change\'s pull request is looked up for its author and approvers.\n' +
        'The instance is read like plan reads it (PLATON_DATABASE_URL, or the embedded server for --instance local).\n' +
        'Exit codes: 0 audited (findings are listed, not failed), 1 error, 2 usage error.',
    )
    // The implementation (git, GitHub, PostgreSQL) loads only when audit runs: see main.ts.
    .action((database: string | undefined, options) =>
      run(async () => (await import('../actions/audit.js')).auditAction(database, options, io))(),
    );
}
