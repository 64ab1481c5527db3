/** `platon-db plan`: validate, inspect, diff. Reads the instance; changes nothing. */
import type { Plan } from '../model/change.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { InstanceSpec, RepositorySpec } from '../model/spec.js';
import type { SecretStore } from '../model/secret-store.js';
import { buildPlan } from '../diff/diff.js';
import { observe } from '../inspect/observe.js';
import { commitStamp, type CommitStamp } from './commit.js';
import { connectAccess, observeAccess, teamEndpoint, type InstanceAccess } from './instance-access.js';
import { connectInstance, type Target, type TargetOptions } from './instance-target.js';
import { desiredState, loadForInstance } from './load-state.js';
import { secretStoreFor } from './secret-store.js';
import { describeConnectionFailure } from './connection-failure.js';
import { locateElsewhere } from './locate-elsewhere.js';

export interface PlanRequest extends TargetOptions {
  readonly instance?: string;
  readonly allowDestroy: boolean;
}

export type PlanOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'planned'; readonly plan: Plan; readonly diagnostics: readonly Diagnostic[] };

/** Everything plan and apply share once the repository is valid and the instance reachable. */
export interface Session {
  readonly repo: RepositorySpec;
  readonly instance: InstanceSpec;
  readonly diagnostics: readonly Diagnostic[];
  readonly target: Target;
  readonly secrets: SecretStore;
  readonly commit: string;
  /** The allowlist (EC2 or the local file) and, on RDS, what discovery found. */
  readonly access: InstanceAccess;
  /** For reaching the other instances (PLATON_DATABASE_URL_<INSTANCE>): moves are found there. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Opens a session, runs `fn`, always closes the connection (and the embedded server). */
export async function withSession<T>(
  request: PlanRequest,
  fn: (session: Session) => Promise<T>,
  /** Runs before connecting: apply refuses files the commit does not hold here. */
  check?: (instance: InstanceSpec, stamp: CommitStamp) => void,
): Promise<T | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }> {
  const loaded = await loadForInstance(request.root, request.instance);
  if (!loaded.ok) return { kind: 'invalid', diagnostics: loaded.diagnostics };
  const stamp = await commitStamp(request.root, request.env);
  check?.(loaded.instance, stamp);
  const secrets = secretStoreFor(loaded.instance, request.root, request.env);
  const commit = stamp.commit;
  const connected = await connectInstance(loaded.instance, request);
  try {
    const access = await connectAccess(loaded.instance, request);
    // On RDS, new credentials carry the endpoint RDS reports rather than the file's copy of it.
    const target = { ...connected, endpoint: teamEndpoint(access, connected.endpoint) };
    return await fn({ repo: loaded.repo, instance: loaded.instance, diagnostics: loaded.diagnostics, target, secrets, commit, access, env: request.env });
  } finally {
    await connected.close();
  }
}

/** Inspects the live instance and plans against it. */
export async function planSession(session: Session, allowDestroy: boolean): Promise<Plan> {
  const desired = desiredState(session.repo, session.instance, session.secrets, session.commit);
  const live = await observe(session.target.connector, desired, session.secrets).catch((error: unknown) => {
    throw describeConnectionFailure(session.instance, session.target, error);
  });
  const withAccess = await observeAccess(session.access, desired, live);
  const elsewhere = await locateElsewhere(session.repo, session.instance, session.env ?? {}, desired, live);
  const located = elsewhere.size > 0 ? { ...withAccess.desired, livesElsewhere: elsewhere } : withAccess.desired;
  return buildPlan(located, withAccess.live, { allowDestroy });
}

export async function makePlan(request: PlanRequest): Promise<PlanOutcome> {
  return withSession(request, async (session) => ({
    kind: 'planned' as const,
    plan: await planSession(session, request.allowDestroy),
    diagnostics: session.diagnostics,
  }));
}
