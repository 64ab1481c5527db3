/** What `platon-db rotate` does once its arguments are parsed (loaded only when rotate runs). */
import { resolve } from 'node:path';
import { runRotate, type RotateOutcome } from '../../app/rotate.js';
import { reportInvalidFiles } from '../commands/invalid.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';

export interface RotateOptions {
  readonly root: string;
  readonly user: 'rw' | 'ro';
  readonly instance?: string;
  readonly lockTimeout: number;
}

export async function rotateAction(database: string, options: RotateOptions, io: CommandIo): Promise<number> {
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
}

function report(outcome: RotateOutcome, io: CommandIo): number {
  if (outcome.kind === 'invalid') {
    return reportInvalidFiles(outcome.diagnostics, io, 'Nothing was rotated');
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
