/**
 * TEST HOOKS, for the crash tests only (test/integration/crash.test.ts). The real CLI, started as
 * a child process, kills itself with SIGKILL at an exact point of an apply, which a signal sent
 * from outside could never hit reliably. Off unless a variable is set; nothing else reads them.
 *
 *   PLATON_TEST_KILL_AFTER_STATEMENT=k  after the k-th statement (see ApplyDeps.afterStatement)
 *   PLATON_TEST_KILL_AFTER_SECRET=n     right after the n-th new secret is stored, before the
 *                                       role that uses it is created
 */
import type { ApplyDeps } from '../apply/apply.js';
import { UserError } from '../model/user-error.js';

export type CrashHooks = Pick<ApplyDeps, 'afterStatement' | 'afterSecretStored'>;

export function crashHooks(env: Readonly<Record<string, string | undefined>>): CrashHooks {
  const statement = killPoint(env, 'PLATON_TEST_KILL_AFTER_STATEMENT');
  const secret = killPoint(env, 'PLATON_TEST_KILL_AFTER_SECRET');
  return {
    ...(statement === undefined ? {} : { afterStatement: (count: number) => count === statement && die() }),
    ...(secret === undefined ? {} : { afterSecretStored: (count: number) => count === secret && die() }),
  };
}

function killPoint(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new UserError(`${name} must be a positive whole number`, { hint: 'it is a test hook; unset it', exitCode: 2 });
  return Number(value);
}

/** Like a power cut for the applier: no finally blocks, no ROLLBACK, no lock release. */
function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL did not stop the process');
}
