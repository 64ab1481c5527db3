/** `platon-db import <database>`: write databases/<name>.yaml for a database made by hand. */
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { runImport, type ImportOutcome } from '../../app/import.js';
import { renderDiagnosticsText } from '../../render/diagnostics-text.js';
import { EXIT, type CommandIo } from '../io.js';
import type { Action } from '../main.js';
import { reportInvalidFiles } from './invalid.js';

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
    .action((database: string, options) =>
      run(async () => {
        const outcome = await runImport({
          root: resolve(io.cwd, options.root),
          env: io.env,
          database,
          instance: options.instance,
          team: options.team,
          project: options.project,
          contact: options.contact,
          rw: options.rw,
          ro: options.ro,
          log: (message) => io.stderr(`${message}\n`),
        });
        return report(outcome, io);
      })(),
    );
}

function report(outcome: ImportOutcome, io: CommandIo): number {
  if (outcome.kind === 'invalid') return reportInvalidFiles(outcome.diagnostics, io, 'Nothing was imported');
  const { roles } = outcome;
  io.stdout(`Wrote ${outcome.file} (adopt: true).\n`);
  io.stdout(`  owner: ${roles.owner} (kept)\n  read/write user: ${roles.rw}\n  read-only user: ${roles.ro ?? '(none)'}\n`);
  io.stdout(`  extensions: ${outcome.extensions.join(', ') || '(none)'}\n`);
  for (const warning of outcome.warnings) io.stdout(`  ! ${warning}\n`);
  const mine = outcome.diagnostics.filter((d) => d.file === outcome.file);
  if (mine.length > 0) io.stdout(`\n${renderDiagnosticsText(mine, { color: io.isTty })}`);
  io.stdout(
    '\nNext: fill in what is marked TODO, then open a pull request. Its plan shows only adoption steps\n' +
      '(ownership markers, missing read grants, PUBLIC revoked) and changes no password: the team keeps\n' +
      `the ones it has, which the secret store does not know until \`platon-db rotate\`.\n`,
  );
  return EXIT.ok;
}
