/** `platon-db audit`: who ordered and changed each database, through which reviewed PR, and what is live. */
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { runAudit } from '../../app/audit.js';
import { warn } from '../../adapters/github/actions-runner.js';
import { renderAuditJson } from '../../render/audit-json.js';
import { renderAuditMarkdown } from '../../render/audit-markdown.js';
import { renderAuditText } from '../../render/audit-text.js';
import { EXIT, type CommandIo } from '../io.js';
import type { Action } from '../main.js';

const RENDER = { text: renderAuditText, markdown: renderAuditMarkdown, json: renderAuditJson } as const;

export function registerAudit(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('audit')
    .description('who ordered and changed a database (commit, author, date, PR, approvers) and which commit each live object was applied from')
    .argument('[database]', 'one database (default: every database main ever had, and every managed one live)')
    .option('--root <dir>', 'the repository (a git clone with the history of main)', '.')
    .option('--instance <name>', 'the instance whose objects to read (default: the instance marked default)')
    .addOption(new Option('--format <format>', 'output format').choices(Object.keys(RENDER)).default('text'))
    .option('--main <ref>', 'the branch the history is read from (default: origin/main, else main)')
    .option('--no-live', 'git history only: do not connect to the instance')
    .addHelpText(
      'after',
      '\nWith GITHUB_TOKEN and GITHUB_REPOSITORY, each change\'s pull request is looked up for its author and approvers.\n' +
        'The instance is read like plan reads it (PLATON_DATABASE_URL, or the embedded server for --instance local).\n' +
        'Exit codes: 0 audited (findings are listed, not failed), 1 error, 2 usage error.',
    )
    .action((database: string | undefined, options) =>
      run(async () => {
        const report = await runAudit({
          root: resolve(io.cwd, options.root),
          env: io.env,
          log: (message) => io.stderr(`${message}\n`),
          warn: (message) => warn(io, message),
          database,
          instance: options.instance,
          live: options.live !== false,
          main: options.main,
        });
        io.stdout(RENDER[options.format as keyof typeof RENDER](report));
        return EXIT.ok;
      })(),
    );
}
