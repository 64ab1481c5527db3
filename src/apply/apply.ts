/**
 * Executes a plan in order. Cluster-wide changes run one transaction each on the maintenance
 * connection (CREATE DATABASE outside any: PostgreSQL refuses it inside one); the changes inside a
 * team database run together in one transaction on a connection to it. What was applied stays
 * applied (every step is idempotent), so running again converges.
 *
 * A failure stops the run, except one that belongs to a single team database: PostgreSQL refused
 * or gave up on a statement inside it (a lock the team holds past the admin's lock_timeout, say)
 * while the connection is fine. Then that database's remaining changes are left for the next run
 * and every other database's go on: a team must not be able to stop the instance's applies from
 * inside its own database (ARCHITECTURE.md, "The hostile tenant").
 */
import pLimit from 'p-limit';
import type pg from 'pg';
import { PASSWORD_PLACEHOLDER, type PlannedChange, type Statement } from '../model/change.js';
import type { Allowlist } from '../model/allowlist.js';
import type { SecretStore } from '../model/secret-store.js';
import { ConnectError, type Connector } from '../adapters/postgres/connector.js';
import { scramSha256VerifierAsync } from '../adapters/postgres/scram.js';
import { quoteLiteral } from '../sql/quote.js';
import { applyAllowlistChange } from './allowlist.js';
import { redact } from './redact.js';
import { ensurePassword, type Endpoint } from './secrets.js';

export interface ApplyDeps {
  readonly connector: Connector;
  readonly secrets: SecretStore;
  readonly endpoint: Endpoint;
  /** Where allowlist changes go (placement `allowlist`); a plan with none needs none. */
  readonly allowlist?: Allowlist;
  /** After each change is committed: progress for people. */
  readonly onApplied?: (change: PlannedChange, index: number, total: number) => void;
  /**
   * TEST HOOKS (crash tests kill the process here; see src/cli/test-hooks.ts). `afterStatement`
   * gets the number of statements run so far: after each change inside a transaction (nothing is
   * committed before COMMIT anyway), after each statement outside one (each commits on its own, so
   * a crash between CREATE DATABASE and its COMMENT is reachable). `afterSecretStored` gets the
   * number of secrets this run wrote, right after each write, before the role that uses it exists.
   */
  readonly afterStatement?: (count: number) => void;
  readonly afterSecretStored?: (count: number) => void;
  /** Throws when the instance's apply lock was lost (HeldLock.assertHeld): checked before each unit. */
  readonly assertLocked?: () => void;
}

export interface ApplyResult {
  readonly applied: readonly PlannedChange[];
  /** The change that failed and stopped the run, with a message that holds no secret. */
  readonly failed?: { readonly change: PlannedChange; readonly message: string };
  /** Changes not attempted because an earlier one failed (or their database's did). */
  readonly notApplied: readonly PlannedChange[];
  /** Team databases whose own changes failed and were left there while the run went on. */
  readonly databaseFailures?: readonly DatabaseFailure[];
}

export interface DatabaseFailure {
  readonly database: string;
  readonly change: PlannedChange;
  /** Holds no secret. */
  readonly message: string;
}

/** Consecutive changes that run together: one transaction (or none, for CREATE DATABASE). */
interface Unit {
  readonly database?: string;
  readonly transactional: boolean;
  readonly changes: PlannedChange[];
}

/**
 * Consecutive changes in the same place share a transaction: all the work inside one database,
 * and each run of cluster-wide changes between two CREATE DATABASEs. Fewer commits and round
 * trips; a failure rolls back only the unit it happened in.
 */
export function units(changes: readonly PlannedChange[]): Unit[] {
  const out: Unit[] = [];
  for (const change of changes) {
    const p = change.placement;
    const database = p.target === 'database' ? p.database : undefined;
    const last = out.at(-1);
    if (last && p.transactional && last.transactional && last.database === database) last.changes.push(change);
    else out.push({ database, transactional: p.transactional, changes: [change] });
  }
  return out;
}

export async function applyPlan(changes: readonly PlannedChange[], deps: ApplyDeps): Promise<ApplyResult> {
  const applied: PlannedChange[] = [];
  const databaseFailures: DatabaseFailure[] = [];
  /** Team databases whose own change failed: their later changes wait for the next run. */
  const givenUp = new Set<string>();
  const unapplied = (except?: PlannedChange) => {
    const done = new Set(applied);
    return changes.filter((change) => !done.has(change) && change !== except);
  };
  const secrets = new Set<string>();
  let statements = 0;
  let stored = 0;
  const onStored = deps.afterSecretStored && (() => deps.afterSecretStored?.(++stored));
  const verifiers = new Map<Statement, string>();
  const maintenance = await deps.connector.connect();
  try {
    for (const whole of units(changes)) {
      const unit = givenUp.size === 0 ? whole : { ...whole, changes: whole.changes.filter(({ change }) => !givenUp.has(change.database)) };
      if (unit.changes.length === 0) continue;
      let client: pg.Client | undefined;
      let current: PlannedChange | undefined;
      try {
        deps.assertLocked?.();
        // Secrets of every login role still to come are issued at the first unit that needs one:
        // all stored before any of those roles exists, in parallel rather than one round trip each.
        if (verifiers.size === 0 && unit.changes.some(hasPassword)) {
          await prepareVerifiers(unapplied(), deps, secrets, verifiers, onStored);
        }
        client = unit.database === undefined ? maintenance : await deps.connector.connect(unit.database);
        if (unit.transactional) await client.query('BEGIN');
        for (const change of unit.changes) {
          current = change;
          // Alone in its unit (never transactional), so no SQL transaction waits on AWS.
          if (change.placement.target === 'allowlist') {
            await applyAllowlistChange(change.change, deps.allowlist);
            continue;
          }
          // After the role's DROP committed: a crash in between leaves a secret the next plan deletes.
          if (change.change.kind === 'delete-secret') {
            await deps.secrets.delete(change.change.secret);
            continue;
          }
          const sql = change.statements.map((statement) => resolve(statement, verifiers));
          // Inside a transaction a change's statements go in one round trip. CREATE DATABASE may not
          // share a query string with anything (that would make an implicit transaction).
          if (unit.transactional) {
            await client.query(sql.join(';\n'));
            statements += sql.length;
            deps.afterStatement?.(statements);
          } else {
            for (const text of sql) {
              await client.query(text);
              deps.afterStatement?.(++statements);
            }
          }
        }
        if (unit.transactional) await client.query('COMMIT');
      } catch (error) {
        if (unit.transactional) await client?.query('ROLLBACK').catch(() => undefined);
        const cause = error instanceof SecretIssueError ? error.cause : error;
        const failed = error instanceof SecretIssueError ? error.change : (current ?? unit.changes[0]!);
        const message = redact(cause instanceof Error ? cause.message : String(cause), secrets);
        if (unit.database !== undefined && belongsToDatabase(cause)) {
          databaseFailures.push({ database: unit.database, change: failed, message });
          givenUp.add(unit.database);
          continue;
        }
        return { applied, failed: { change: failed, message }, notApplied: unapplied(failed), ...(databaseFailures.length > 0 ? { databaseFailures } : {}) };
      } finally {
        if (client && client !== maintenance) await client.end().catch(() => undefined);
      }
      // The role now has the latest password: record that the interrupted rotation is complete.
      for (const { change } of unit.changes) {
        if (change.kind !== 'reset-password' || change.reason !== 'rotation-pending') continue;
        const latest = await deps.secrets.read(change.secret);
        if (latest) await deps.secrets.markRotation(change.secret, latest.version, 'confirmed');
      }
      for (const change of unit.changes) {
        applied.push(change);
        deps.onApplied?.(change, applied.length, changes.length);
      }
    }
    return databaseFailures.length > 0 ? { applied, notApplied: unapplied(), databaseFailures } : { applied, notApplied: [] };
  } finally {
    await maintenance.end().catch(() => undefined);
  }
}

/**
 * Whether an error inside a team database is that database's alone: PostgreSQL answered with a
 * SQLSTATE (lock not available, a privilege, a constraint, a deadlock, ...) on a connection that
 * still works, or refused the connection for that database only ("does not allow connections",
 * "does not exist": its team changed it since the plan). Connection failures (08), resources
 * (53: the instance may be full), operator intervention (57: terminated, shut down) and internal
 * errors stop the whole run: they are the instance's, not one team's.
 */
function belongsToDatabase(error: unknown): boolean {
  const connecting = error instanceof ConnectError;
  const code = sqlState(connecting ? error.cause : error);
  if (code === undefined) return false;
  if (connecting) return code === '55000' || code === '3D000';
  return !['08', '53', '57', '58', 'XX', 'F0'].includes(code.slice(0, 2));
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Issuing the secret of `change` failed (the store is down, say): the failure is that change's. */
class SecretIssueError extends Error {
  constructor(
    readonly change: PlannedChange,
    override readonly cause: unknown,
  ) {
    super('issuing a secret failed');
  }
}

const hasPassword = (change: PlannedChange) => change.statements.some((s) => s.password !== undefined);

/**
 * For each statement that sets a password: the secret (read, or generated and stored first with
 * compare-and-set) and its SCRAM-SHA-256 verifier, never the plaintext, which statement logs keep.
 */
async function prepareVerifiers(
  changes: readonly PlannedChange[],
  deps: ApplyDeps,
  secrets: Set<string>,
  verifiers: Map<Statement, string>,
  onStored?: () => void,
): Promise<void> {
  const limit = pLimit(8);
  const statements = changes.flatMap((change) => change.statements.filter((s) => s.password !== undefined).map((statement) => ({ change, statement })));
  await Promise.all(
    statements.map(({ change, statement }) =>
      limit(async () => {
        try {
          const password = await ensurePassword(deps.secrets, statement.password!, deps.endpoint, onStored);
          secrets.add(password);
          verifiers.set(statement, await scramSha256VerifierAsync(password));
        } catch (error) {
          throw new SecretIssueError(change, error);
        }
      }),
    ),
  );
}

/** The SQL to run: a login role's password goes in as a SCRAM-SHA-256 verifier, never plaintext. */
function resolve(statement: Statement, verifiers: ReadonlyMap<Statement, string>): string {
  if (!statement.password) return statement.sql;
  const verifier = verifiers.get(statement);
  if (verifier === undefined) throw new Error(`no verifier prepared for ${statement.password.path}`);
  return statement.sql.replace(PASSWORD_PLACEHOLDER, quoteLiteral(verifier));
}
