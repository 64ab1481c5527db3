/**
 * `npm start`: the whole main job on the local instance, with no set-up: validate, plan, apply,
 * plan again. One embedded server session for all four steps.
 */
import type { Plan } from '../model/change.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { applyPlan, type ApplyResult } from '../apply/apply.js';
import { withApplyLock } from '../apply/lock.js';
import { runnableChanges, withHeldBack } from '../apply/runnable.js';
import { planSession, withSession, type Session } from './plan.js';
import type { TargetOptions } from './instance-target.js';

export interface LocalRunReport {
  readonly first: Plan;
  readonly result: ApplyResult;
  readonly second: Plan;
  readonly session: Pick<Session, 'instance' | 'repo'> & {
    readonly endpoint: { host: string; port: number };
    /** Whether the server stopped when the run ended (the run started it); else it keeps running. */
    readonly stopped: boolean;
  };
}

export interface LocalRunHooks {
  readonly onPlan: (label: string, plan: Plan) => void;
  readonly onApplied: Parameters<typeof applyPlan>[1]['onApplied'];
  readonly onApplyDone: (plan: Plan, result: ApplyResult) => void;
}

export async function localRun(
  options: TargetOptions & { readonly instance: string },
  hooks: LocalRunHooks,
): Promise<LocalRunReport | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }> {
  return withSession({ ...options, allowDestroy: false }, (session) =>
    withApplyLock(session.target.connector, { instance: session.instance.name, timeoutMs: 60_000, onWait: options.log }, async (held) => {
      const first = await planSession(session, false);
      hooks.onPlan('Plan', first);
      // As `platon-db apply`: a database's errors hold back that database only, never the others.
      const runnable = runnableChanges(first);
      const result =
        runnable === undefined || runnable.length === 0
          ? { applied: [], notApplied: first.changes }
          : withHeldBack(
              first,
              runnable,
              await applyPlan(runnable, {
                connector: session.target.connector,
                secrets: session.secrets,
                endpoint: session.target.endpoint,
                allowlist: session.access.allowlist,
                onApplied: hooks.onApplied,
                assertLocked: held.assertHeld,
              }),
            );
      hooks.onApplyDone(first, result);
      const second = await planSession(session, false);
      hooks.onPlan('Plan after apply', second);
      return { first, result, second, session: { instance: session.instance, repo: session.repo, endpoint: session.target.endpoint, stopped: session.target.stopsOnClose } };
    }),
  );
}
