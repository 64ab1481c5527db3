/** What `platon-db import` does once its arguments are parsed (loaded only when import runs). */
import { resolve } from 'node:path';
import { runImport, type ImportOutcome, type ImportRequest } from '../../app/import.js';
import { renderDiagnosticsText } from '../../render/diagnostics-text.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';
import { reportInvalidFiles } from '../commands/invalid.js';

/** What the command line parsed: the request's names, with --root instead of the environment. */
export type ImportOptions = Pick<ImportRequest, 'instance' | 'team' | 'project' | 'contact' | 'rw' | 'ro'> & { readonly root: string };

export async function importAction(database: string, options: ImportOptions, io: CommandIo): Promise<number> {
  const { root, instance, team, project, contact, rw, ro } = options;
  const outcome = await runImport({
    root: resolve(io.cwd, root),
    env: io.env,
    database,
    instance, team, project, contact, rw, ro,
    log: (message) => io.stderr(`${message}\n`),
  });
  return report(outcome, io);
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
