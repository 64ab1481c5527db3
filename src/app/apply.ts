/**
 * `platon-db apply`: under the instance's apply lock, plan afresh (the instance may have changed
 * while we waited) and, if the plan has no errors and is approved, apply it.
 */
import type { Plan } from '../model/change.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { applyPlan, type ApplyResult } from '../apply/apply.js';
import { runnableChanges, withHeldBack } from '../apply/runnable.js';
import { LockTimeoutError, withApplyLock } from '../apply/lock.js';
import { UserError } from '../model/user-error.js';
import { planSession, withSession, type PlanRequest, type Session } from './plan.js';
import { ConnectError, withClient } from '../adapters/postgres/connector.js';
import { describeConnectionFailure } from './connection-failure.js';
import { refuseUncommitted } from './uncommitted.js';
import type { PlannedChange } from '../model/change.js';

export interface ApplyRequest extends PlanRequest {
  /** How long to wait for another apply on the same instance. */
  readonly lockTimeoutMs: number;
  /** Shown the plan; resolves whether to go ahead (the CLI asks, or --auto-approve says yes). */
  readonly approve: (plan: Plan) => Promise<boolean>;
  readonly onApplied?: (change: PlannedChange, index: number, total: number) => void;
  /** Test hooks (src/cli/test-hooks.ts). */
  readonly afterStatement?: (count: number) => void;
  readonly afterSecretStored?: (count: number) => void;
}

export type ApplyOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  /**
   * The plan had an instance-wide error, or errors in every database it would change: nothing was
   * applied. (Errors in some databases only: the others are applied, and the outcome is `applied`
   * with the plan's errors, which still fail the run.)
   */
  | { readonly kind: 'refused'; readonly plan: Plan }
  | { readonly kind: 'declined'; readonly plan: Plan }
  | { readonly kind: 'applied'; readonly plan: Plan; readonly result: ApplyResult };

export async function runApply(request: ApplyRequest): Promise<ApplyOutcome> {
  return withSession(request, async (session): Promise<ApplyOutcome> => {
    await refusePlanRole(session);
    const lock = { instance: session.instance.name, timeoutMs: request.lockTimeoutMs, onWait: request.log };
    try {
      return await withApplyLock(session.target.connector, lock, async (held) => {
        const plan = await planSession(session, request.allowDestroy);
        const runnable = runnableChanges(plan);
        if (runnable === undefined || (plan.errors.length > 0 && runnable.length === 0)) return { kind: 'refused', plan };
        if (runnable.length === 0) return { kind: 'applied', plan, result: { applied: [], notApplied: [] } };
        if (!(await request.approve(plan))) return { kind: 'declined', plan };
        const applied = await applyPlan(runnable, {
          connector: session.target.connector,
          secrets: session.secrets,
          endpoint: session.target.endpoint,
          allowlist: session.access.allowlist,
          onApplied: request.onApplied,
          afterStatement: request.afterStatement,
          afterSecretStored: request.afterSecretStored,
          assertLocked: held.assertHeld,
        });
        return { kind: 'applied', plan, result: withHeldBack(plan, runnable, applied) };
      });
    } catch (error) {
      if (error instanceof LockTimeoutError) {
        throw new UserError(error.message, { hint: 'wait for the other run to finish, or raise --lock-timeout' });
      }
      // Taking the lock is the first connection an apply makes: an unreachable server ends here.
      if (error instanceof ConnectError && error.database === undefined) throw describeConnectionFailure(session.instance, session.target, error);
      throw error;
    }
  }, refuseUncommitted);
}

/** The plan role can read what a plan needs and nothing more; say so before it fails half-way. */
async function refusePlanRole(session: Session): Promise<void> {
  const planUser = session.instance.connection.planUser;
  if (planUser === undefined) return;
  const connected = await withClient(session.target.connector, undefined, (c) => c.query<{ who: string }>('SELECT current_user AS who')).catch(
    (error: unknown) => {
      throw describeConnectionFailure(session.instance, session.target, error);
    },
  );
  if (connected.rows[0]?.who === planUser) {
    throw new UserError(`${planUser} is the plan role of instance ${session.instance.name}: it can plan but not apply`, {
      hint: `apply with PLATON_DATABASE_URL naming the admin (${session.instance.connection.adminUser})`,
    });
  }
}
