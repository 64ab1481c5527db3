/** `platon-db rotate <database>`: a new password for one login user. Prints where, never what. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';

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
    .action((database: string, options) => run(async () => (await import('../actions/rotate.js')).rotateAction(database, options, io))());
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number of seconds is expected');
  return n;
}
