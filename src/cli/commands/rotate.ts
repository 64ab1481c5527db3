/** `platon-db rotate <database>`: a new password for one login user. Prints where, never what. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { runRotate, type RotateOutcome } from '../../app/rotate.js';
import { renderDiagnosticsText } from '../../render/diagnostics-text.js';
import { EXIT, type CommandIo } from '../io.js';
import type { Action } from '../main.js';

export function registerRotate(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('rotate')
    .description("give a database's login user a new password: a new secret version, then ALTER ROLE (earlier versions stay in the history)")
    .argument('<database>', 'the database, as named in databases/<database>.yaml')
    .addOption(new Option('--user <user>', 'which user: rw (read/write) or ro (read-only)').choices(['rw', 'ro']).default('rw'))
    .addOption(new Option('--instance <name>', 'the instance (default: the one the database file names)'))
    .addOption(new Option('--root <dir>', 'the repository root').default('.'))
    .addOption(new Option('--lock-timeout <seconds>', 'how long to wait for an apply or rotate on the instance').default(300).argParser(seconds))
    .addHelpText(
      'after',
      [
        '',
        'Teams pick up the new password by reading the latest version of the secret, e.g.',
        '  vault kv get -field=uri secret/platon/rds/<instance>/<database>/<user>',
        '',
        'Exit codes: 0 rotated, 1 error (invalid files, unmanaged role, store or server failure, lock timeout), 2 usage error.',
      ].join('\n'),
    )
    .action((database: string, options) =>
      run(async () => {
        const outcome = await runRotate({
          root: resolve(io.cwd, options.root),
          env: io.env,
          database,
          user: options.user,
          instance: options.instance,
          lockTimeoutMs: options.lockTimeout * 1000,
          log: (message) => io.stderr(`${message}\n`),
        });
        return report(outcome, io);
      })(),
    );
}

function report(outcome: RotateOutcome, io: CommandIo): number {
  if (outcome.kind === 'invalid') {
    io.stderr(renderDiagnosticsText(outcome.diagnostics, { color: io.isTty }));
    io.stderr('Nothing was rotated: fix the files above first (platon-db validate shows the same).\n');
    return EXIT.failure;
  }
  const { role, instance, secret, version, previousVersion } = outcome;
  if (outcome.finishedHalfRotation) {
    io.stdout(`Version ${previousVersion} was left by a rotation that stopped before setting it on the role; this rotation replaces it.\n`);
  }
  io.stdout(`Rotated the password of role ${role} on instance ${instance}.\n`);
  const history = previousVersion > 0 ? `; versions up to ${previousVersion} stay in the history` : '; the role had no secret before';
  io.stdout(`  secret: ${secret.path} (${secret.store}), version ${version}${history}\n`);
  io.stdout(
    secret.store === 'vault'
      ? `  teams read the latest version: vault kv get -field=uri ${secret.path}\n`
      : `  the latest version is the last entry in that file\n`,
  );
  if (outcome.warning) io.stderr(`warning: ${outcome.warning}\n`);
  return EXIT.ok;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number of seconds is expected');
  return n;
}
