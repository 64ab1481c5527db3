/**
 * `platon-db rotate`: a new password for one managed login role, as a new secret version, then
 * set on the role as a SCRAM-SHA-256 verifier. Runs under the instance's apply lock, so it never
 * races an apply or another rotate on the same instance.
 *
 * Crash safety. The order is: mark the next version `pending` in the store, write it with
 * cas = the current version, ALTER ROLE, mark it `confirmed`.
 * - Stopped before the write: nothing changed (a pending mark for a version that does not exist
 *   means nothing).
 * - Stopped between the write and ALTER ROLE: the store is one version ahead of the role; teams
 *   reading the latest version get a password that does not work yet. The latest version reads
 *   back as `rotationPending`, so the next rotate says it found a half-finished rotation, and it
 *   repairs it by construction: it always ends by setting the role to the version it wrote,
 *   which is then the latest. We chose this over logging in with the stored password to detect
 *   the gap: the applier may not be allowed to log in as a team's role (network, connection
 *   limit), but it can always read the store.
 * - Stopped after ALTER ROLE, before `confirmed`: the role has the latest password; the next
 *   rotate reports a pending mark and rotates as usual.
 * Earlier versions stay in the store's history (Vault keeps `max_versions`, 10 by default).
 */
import type { SecretRef } from '../model/change.js';
import { PASSWORD_PLACEHOLDER } from '../model/change.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { DatabaseSpec, InstanceSpec, RepositorySpec } from '../model/spec.js';
import { SecretConflictError, type SecretStore } from '../model/secret-store.js';
import { isNamedRole, roleNamesOf } from '../model/role-names.js';
import { withClient } from '../adapters/postgres/connector.js';
import { scramSha256Verifier } from '../adapters/postgres/scram.js';
import { buildCredentials } from '../adapters/secrets/credentials.js';
import { generatePassword } from '../adapters/secrets/password.js';
import { LockTimeoutError, withApplyLock } from '../apply/lock.js';
import { redact } from '../apply/redact.js';
import { inspect } from '../inspect/inspect.js';
import { readFootprints } from '../inspect/role-footprint.js';
import { adoptionErrors } from '../diff/adoption.js';
import { membersIndex } from '../diff/context.js';
import { quoteLiteral } from '../sql/quote.js';
import { toSql } from '../sql/to-sql.js';
import { UserError } from '../model/user-error.js';
import { describeConnectionFailure } from './connection-failure.js';
import type { Target, TargetOptions } from './instance-target.js';
import { databasesFor } from './load-state.js';
import { loadRepository } from './load-repository.js';
import { withSession } from './plan.js';

export interface RotateRequest extends TargetOptions {
  readonly database: string;
  readonly user: 'rw' | 'ro';
  /** Default: the instance the database file names. */
  readonly instance?: string;
  readonly lockTimeoutMs: number;
  /** Test hook: runs after the new version is stored, before ALTER ROLE (a throw = a crash there). */
  readonly afterStore?: () => Promise<void>;
}

export type RotateOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  | {
      readonly kind: 'rotated';
      readonly instance: string;
      readonly role: string;
      readonly secret: SecretRef;
      readonly version: number;
      /** 0 when the role had no secret (a repair of a lost one). */
      readonly previousVersion: number;
      /** The latest version was left by a rotation that stopped before setting it on the role. */
      readonly finishedHalfRotation: boolean;
      /** Something that went wrong after the role got its new password (nothing to redo). */
      readonly warning?: string;
    };

export async function runRotate(request: RotateRequest): Promise<RotateOutcome> {
  // The database file says which instance; the session (the same as plan's and apply's, so the
  // credentials carry the same endpoint) is opened for that one.
  const { spec, diagnostics } = await loadRepository(request.root);
  if (hasErrors(diagnostics)) return { kind: 'invalid', diagnostics };
  const instanceName = chooseTarget(spec, request).instance.name;
  return withSession({ ...request, instance: instanceName, allowDestroy: false }, async ({ repo, instance, secrets, target }) => {
    const { database } = chooseTarget(repo, { ...request, instance: instanceName });
    let locked = false;
    try {
      const lock = { instance: instance.name, timeoutMs: request.lockTimeoutMs, onWait: request.log };
      return await withApplyLock(target.connector, lock, () => {
        locked = true;
        return rotate({ database, instance, secrets, target, user: request.user, afterStore: request.afterStore });
      });
    } catch (error) {
      if (error instanceof LockTimeoutError) {
        throw new UserError(error.message, { hint: 'wait for the other run to finish, or raise --lock-timeout' });
      }
      throw locked ? error : describeConnectionFailure(instance, target, error);
    }
  });
}

interface RotateContext {
  readonly database: DatabaseSpec;
  readonly instance: InstanceSpec;
  readonly secrets: SecretStore;
  readonly target: Target;
  readonly user: 'rw' | 'ro';
  readonly afterStore?: () => Promise<void>;
}

async function rotate(ctx: RotateContext): Promise<RotateOutcome> {
  const { database, instance, secrets, target } = ctx;
  const role = roleNamesOf(database)[ctx.user];
  await assertManagedLoginRole(ctx, role);
  const ref = secrets.refFor(database.name, ctx.user);
  const current = await secrets.read(ref);
  const previousVersion = current?.version ?? 0;
  const next = previousVersion + 1;
  const password = generatePassword();
  const credentials = buildCredentials(
    { username: role, password, host: target.endpoint.host, port: target.endpoint.port, database: database.name },
    { tls: target.endpoint.tls !== false },
  );

  await secrets.markRotation(ref, next, 'pending');
  const version = await secrets.write(ref, credentials, previousVersion).catch((error: unknown) => {
    if (!(error instanceof SecretConflictError)) throw error;
    throw new UserError(`the secret at ${ref.path} changed while rotating (someone else wrote version ${next}); role ${role} was not changed`, {
      hint: 'run platon-db rotate again: it rotates from the version that is there now',
    });
  });
  await ctx.afterStore?.();
  await setPassword(ctx, role, ref, password, version);

  let warning: string | undefined;
  try {
    await secrets.markRotation(ref, version, 'confirmed');
  } catch (error) {
    // The rotation itself is complete; only its bookkeeping is behind, which the next rotate reads as harmless.
    warning = `role ${role} has the new password, but marking version ${version} confirmed failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    kind: 'rotated',
    instance: instance.name,
    role,
    secret: ref,
    version,
    previousVersion,
    finishedHalfRotation: current?.rotationPending === true,
    ...(warning ? { warning } : {}),
  };
}

/** `ALTER ROLE ... PASSWORD` with the verifier; pg errors can echo SQL, so they are redacted. */
async function setPassword(ctx: RotateContext, role: string, ref: SecretRef, password: string, version: number): Promise<void> {
  const [statement] = toSql({ kind: 'reset-password', database: ctx.database.name, role, secret: ref });
  const sql = statement!.sql.replace(PASSWORD_PLACEHOLDER, quoteLiteral(scramSha256Verifier(password)));
  try {
    await withClient(ctx.target.connector, undefined, (client) => client.query(sql));
  } catch (error) {
    const reason = redact(error instanceof Error ? error.message : String(error), [password]);
    throw new UserError(`version ${version} of ${ref.path} is stored, but setting it on role ${role} failed: ${reason}`, {
      hint: 'the role keeps its previous password; run platon-db rotate again to finish',
    });
  }
}

/**
 * Only a login role managed for this very database: never someone else's role, nor another
 * database's (a file naming another team's role must not get its password replaced). A role an
 * adopted database's file names by hand counts before apply marks it, if adoption would take it
 * (diff/adoption.ts): the reviewed file takes it over, and rotate is how its team gets a password
 * the store knows.
 */
async function assertManagedLoginRole(ctx: RotateContext, role: string): Promise<void> {
  const live = await inspect(ctx.target.connector, { only: new Set() });
  const found = live.roles.get(role);
  const on = `on instance ${ctx.instance.name}`;
  if (!found) throw new UserError(`role ${role} does not exist ${on}`, { hint: 'run platon-db apply first: it creates the role and its secret' });
  if (found.marker && found.marker.file !== ctx.database.file) {
    throw new UserError(`role ${role} ${on} is managed from ${found.marker.file}, not ${ctx.database.file}; it was not changed`, {
      hint: 'rotate changes only the roles of the database it is given',
    });
  }
  const adopted = ctx.database.adopt === true && isNamedRole(ctx.database, role);
  if (!found.marker && !adopted) {
    throw new UserError(`role ${role} ${on} is not managed by platon-db (it has no ownership marker); it was not changed`, {
      hint: 'rotate changes only roles platon-db created',
    });
  }
  if (!found.marker) {
    const footprints = await readFootprints(ctx.target.connector, Object.values(roleNamesOf(ctx.database)));
    const [refused] = adoptionErrors(ctx.database, { ...live, footprints }, membersIndex(live));
    if (refused) throw new UserError(`role ${role} ${on} was not changed: ${refused.message}`, refused.hint === undefined ? {} : { hint: refused.hint });
  }
  if (!found.login) throw new UserError(`role ${role} ${on} cannot log in`, { hint: 'run platon-db apply first: it restores LOGIN' });
}

function chooseTarget(repo: RepositorySpec, request: RotateRequest): { database: DatabaseSpec; instance: InstanceSpec } {
  const database = repo.databases.find((d) => d.name === request.database);
  if (!database) {
    throw new UserError(`there is no database ${request.database} in databases/`, { hint: 'rotate takes the name of a database file, without .yaml', exitCode: 2 });
  }
  if (request.user === 'ro' && !database.users.readOnly) {
    throw new UserError(`database ${database.name} has no read-only user`, { hint: `${database.file} does not ask for users.readOnly`, exitCode: 2 });
  }
  const name = request.instance ?? database.instance;
  const instance = repo.instances.find((i) => i.name === name);
  if (!instance) {
    throw new UserError(`there is no instance named ${name}`, { hint: `instances: ${repo.instances.map((i) => i.name).sort().join(', ')}`, exitCode: 2 });
  }
  if (!databasesFor(repo, instance).includes(database)) {
    throw new UserError(`database ${database.name} is not on instance ${instance.name}`, { hint: `${database.file} puts it on ${database.instance}`, exitCode: 2 });
  }
  return { database, instance };
}
