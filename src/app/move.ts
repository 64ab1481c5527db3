/**
 * `platon-db move <database> --to NAME`: a database to another instance, the steps a plan names
 * but never takes (diff/lifecycle.ts, moveError). Under both instances' apply locks:
 *
 * 1. create the database on the target, as an apply of its file would (roles, new passwords in
 *    the target's secret paths: RDS hides password hashes, so the old ones cannot be copied);
 * 2. stop writes on the source: retire it (logins off, sessions ended), so the copy is complete;
 * 3. copy with pg_dump and pg_restore;
 * 4. compare every table's row count, and the sizes;
 * 5. grant read access on the copy (the target's plan again) and switch: the team uses the
 *    target's credentials;
 * 6. leave the source retired, marked `movedTo`, with its data: dropping it is a later decision.
 *
 * A failure in 3 or 4 brings the source back (logins on) and drops the half-made copy, so the
 * move can simply run again.
 */
import type { Change, PlanError } from '../model/change.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import type { DatabaseSpec, InstanceSpec, RepositorySpec } from '../model/spec.js';
import type { SecretRef } from '../model/change.js';
import type { SecretStore } from '../model/secret-store.js';
import { roleNamesOf } from '../model/role-names.js';
import { withClient } from '../adapters/postgres/connector.js';
import { applyPlan } from '../apply/apply.js';
import { LockTimeoutError, withApplyLock } from '../apply/lock.js';
import { buildPlan } from '../diff/diff.js';
import { isManagedDatabase, managedFile } from '../diff/ownership.js';
import { inspect } from '../inspect/inspect.js';
import { observe } from '../inspect/observe.js';
import { compareCensus, census, type Comparison } from '../move/compare.js';
import { copyDatabase } from '../move/copy.js';
import { toPlannedChange } from '../sql/describe.js';
import { quoteIdent } from '../sql/quote.js';
import { UserError } from '../model/user-error.js';
import { currentCommit } from './commit.js';
import { connectInstance, type Target, type TargetOptions } from './instance-target.js';
import { loadRepository } from './load-repository.js';
import { secretRefs } from './load-state.js';
import { secretStoreFor } from './secret-store.js';

export interface MoveRequest extends TargetOptions {
  readonly database: string;
  readonly to: string;
  /** Default: the default instance, when that is not the target. */
  readonly from?: string;
  readonly lockTimeoutMs: number;
  /** Only with it does anything happen; without it the outcome lists the steps. */
  readonly execute: boolean;
}

export type MoveOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'steps'; readonly database: string; readonly from: string; readonly to: string; readonly steps: readonly string[] }
  | {
      readonly kind: 'moved';
      readonly database: string;
      readonly from: string;
      readonly to: string;
      readonly comparison: Comparison;
      /** Where the team's new credentials are, on the target. */
      readonly credentials: readonly SecretRef[];
    };

interface Side {
  readonly instance: InstanceSpec;
  readonly target: Target;
  readonly secrets: SecretStore;
}

export async function runMove(request: MoveRequest): Promise<MoveOutcome> {
  const { spec: repo, diagnostics } = await loadRepository(request.root);
  if (hasErrors(diagnostics)) return { kind: 'invalid', diagnostics };
  const { spec, from, to } = chooseSides(repo, request);
  if (!request.execute) return { kind: 'steps', database: spec.name, from: from.name, to: to.name, steps: moveSteps(spec, from.name, to.name) };
  const commit = await currentCommit(request.root, request.env);
  const source = await side(from, request);
  try {
    const target = await side(to, request);
    try {
      if (source.target.connector.display === target.target.connector.display) {
        throw new UserError(`instances ${from.name} and ${to.name} are the same server (${source.target.connector.display})`, {
          hint: 'set PLATON_DATABASE_URL_<INSTANCE> for each of them',
        });
      }
      const lock = (s: Side) => ({ instance: s.instance.name, timeoutMs: request.lockTimeoutMs, onWait: request.log });
      return await withApplyLock(source.target.connector, lock(source), () =>
        withApplyLock(target.target.connector, lock(target), () => move({ spec, source, target, commit, request })),
      );
    } finally {
      await target.target.close();
    }
  } catch (error) {
    if (error instanceof LockTimeoutError) throw new UserError(error.message, { hint: 'wait for the other run to finish, or raise --lock-timeout' });
    throw error;
  } finally {
    await source.target.close();
  }
}

function chooseSides(repo: RepositorySpec, request: MoveRequest): { spec: DatabaseSpec; from: InstanceSpec; to: InstanceSpec } {
  const spec = repo.databases.find((d) => d.name === request.database);
  if (!spec) throw new UserError(`no file declares database ${request.database}`, { hint: 'platon-db move takes a database of databases/' });
  const find = (name: string) => repo.instances.find((i) => i.name === name);
  const to = find(request.to);
  if (!to) throw new UserError(`there is no instance named ${request.to}`, { hint: `instances: ${repo.instances.map((i) => i.name).join(', ')}`, exitCode: 2 });
  if (spec.instance !== to.name) {
    throw new UserError(`${spec.file} names instance ${spec.instance}, not ${to.name}`, {
      hint: `set instance: ${to.name} in ${spec.file} first (the pull request that moves it), then run move from that checkout`,
    });
  }
  const fromName = request.from ?? repo.instances.find((i) => i.default && i.name !== to.name)?.name;
  const from = fromName === undefined ? undefined : find(fromName);
  if (!from || from.name === to.name) throw new UserError('which instance does the database move from?', { hint: 'name it with --from NAME', exitCode: 2 });
  return { spec, from, to };
}

export function moveSteps(spec: DatabaseSpec, from: string, to: string): string[] {
  return [
    `create ${spec.name} on ${to}: its roles, the database, grants and extensions [${spec.extensions.join(', ')}], with new passwords in ${to}'s secret paths`,
    `stop writes on ${from}: the team's users of ${spec.name} lose LOGIN and CONNECT, open sessions end (downtime starts)`,
    `copy the data: pg_dump from ${from}, pg_restore into ${to} logged in as the team's ${roleNamesOf(spec).rw} (acting as ${roleNamesOf(spec).owner}), in one transaction`,
    `compare every table's row count and the database sizes; on a difference, ${from} gets its logins back and the copy is dropped`,
    `switch: read access granted on the copy; the team connects to ${to} with the credentials from its secret paths (downtime ends)`,
    `leave ${spec.name} on ${from} retired, with its data, marked as moved to ${to} (not dropped)`,
  ];
}

async function side(instance: InstanceSpec, request: MoveRequest): Promise<Side> {
  const target = await connectInstance(instance, request);
  if (!target.adminUrl) throw new UserError(`no admin URL for instance ${instance.name}`, { hint: 'set PLATON_DATABASE_URL_<INSTANCE>' });
  return { instance, target, secrets: secretStoreFor(instance, request.root, request.env) };
}

interface MoveContext {
  readonly spec: DatabaseSpec;
  readonly source: Side;
  readonly target: Side;
  readonly commit: string;
  readonly request: MoveRequest;
}

async function move(ctx: MoveContext): Promise<MoveOutcome> {
  const { spec, source, target, request } = ctx;
  const name = spec.name;
  const major = await checkSource(ctx);
  await checkTarget(ctx);
  const log = (message: string) => request.log(`move ${name}: ${message}`);
  log(`creating it on ${target.instance.name}`);
  await converge(target, spec, ctx.commit);
  log(`retiring it on ${source.instance.name} (logins off, sessions ended)`);
  const atSource = { ...spec, instance: source.instance.name };
  await converge(source, { ...atSource, state: 'retired' }, ctx.commit);
  let comparison: Comparison;
  try {
    log('copying with pg_dump and pg_restore');
    const restoreAs = await teamLogin(target, spec);
    await copyDatabase({ database: name, sourceUrl: source.target.adminUrl!, targetUrl: target.target.adminUrl!, owner: roleNamesOf(spec).owner, restoreAs, major, env: request.env });
    log('comparing row counts and sizes');
    comparison = compareCensus(await census(source.target.connector, name), await census(target.target.connector, name));
    if (!comparison.ok) throw new UserError(`the copy of ${name} differs from the source: ${comparison.problems.join('; ')}`);
  } catch (error) {
    log(`failed; bringing ${source.instance.name} back and dropping the copy on ${target.instance.name}`);
    await converge(source, atSource, ctx.commit);
    await withClient(target.target.connector, undefined, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    throw error;
  }
  log('granting read access on the copy');
  await converge(target, spec, ctx.commit);
  const db = (await inspect(source.target.connector, { only: new Set() })).databases.get(name)!;
  const moved: Change = { kind: 'set-marker', database: name, object: 'database', name, marker: { ...db.marker!, commit: ctx.commit, state: 'retired', movedTo: target.instance.name } };
  await run(source, [moved]);
  const refs = secretRefs(spec, target.secrets);
  return {
    kind: 'moved',
    database: name,
    from: source.instance.name,
    to: target.instance.name,
    comparison,
    credentials: spec.users.readOnly ? [refs.rw, refs.ro] : [refs.rw],
  };
}

/** The read/write user's login on the target, from the secret the target's apply just wrote. */
async function teamLogin(s: Side, spec: DatabaseSpec): Promise<{ user: string; password: string }> {
  const ref = secretRefs(spec, s.secrets).rw;
  const stored = await s.secrets.read(ref);
  if (!stored) throw new UserError(`no credentials for ${spec.name}'s read/write user on instance ${s.instance.name} (${ref.path})`, { hint: 'run the move again: its first step writes them' });
  return { user: stored.credentials.username, password: stored.credentials.password };
}

/** The source holds the database, managed from this file, not already moved. Returns its major. */
async function checkSource({ spec, source }: MoveContext): Promise<number> {
  const live = await inspect(source.target.connector, { only: new Set() });
  const db = live.databases.get(spec.name);
  const where = `instance ${source.instance.name}`;
  if (!db) throw new UserError(`database ${spec.name} does not exist on ${where}`, { hint: 'name the instance it is on with --from' });
  if (!isManagedDatabase(db, live) || managedFile(db, live) !== spec.file) {
    throw new UserError(`database ${spec.name} on ${where} is not managed from ${spec.file}`, { hint: 'adopt it first (platon-db import), or check --from' });
  }
  if (db.marker?.movedTo) throw new UserError(`database ${spec.name} on ${where} was already moved to ${db.marker.movedTo}`);
  return live.serverMajor;
}

/** The target has no such database, or only the empty one a failed move left (it is reused). */
async function checkTarget({ spec, target }: MoveContext): Promise<void> {
  const live = await inspect(target.target.connector, { only: new Set() });
  const db = live.databases.get(spec.name);
  if (!db) return;
  const ours = isManagedDatabase(db, live) && managedFile(db, live) === spec.file;
  if (!ours || (await census(target.target.connector, spec.name)).rows.size > 0) {
    throw new UserError(`database ${spec.name} already exists on instance ${target.instance.name}`, { hint: 'a move needs an empty target; drop it there by hand if it is a leftover' });
  }
}

/** Plans `spec` alone on one side and applies it; plan errors or a failed change stop the move. */
async function converge(s: Side, spec: DatabaseSpec, commit: string): Promise<void> {
  const desired = { instance: s.instance.name, commit, databases: [{ spec, secrets: secretRefs(spec, s.secrets) }] };
  const live = await observe(s.target.connector, desired, s.secrets);
  const plan = buildPlan(desired, live, { allowDestroy: false });
  if (plan.errors.length > 0) throw new UserError(`instance ${s.instance.name}: ${plan.errors.map((e: PlanError) => e.message).join('; ')}`);
  await run(s, plan.changes.map((c) => c.change));
}

async function run(s: Side, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  const result = await applyPlan(changes.map(toPlannedChange), { connector: s.target.connector, secrets: s.secrets, endpoint: s.target.endpoint });
  // A move concerns one database: its failure is the move's, whether or not the applier went on.
  const failed = result.failed ?? result.databaseFailures?.[0];
  if (failed) throw new UserError(`instance ${s.instance.name}: ${failed.change.summary} failed: ${failed.message}`);
}
