/**
 * Executes a plan in order. Cluster-wide changes run one transaction each on the maintenance
 * connection (CREATE DATABASE outside any: PostgreSQL refuses it inside one); the changes inside a
 * team database run together in one transaction on a connection to it. The first failure stops
 * the run; what was applied stays applied (every step is idempotent), so running again converges.
 */
import type pg from 'pg';
import { PASSWORD_PLACEHOLDER, type PlannedChange, type Statement } from '../model/change.js';
import type { Allowlist } from '../model/allowlist.js';
import type { SecretStore } from '../model/secret-store.js';
import type { Connector } from '../adapters/postgres/connector.js';
import { scramSha256Verifier } from '../adapters/postgres/scram.js';
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
  /** The change that failed, with a message that holds no secret; absent when all went through. */
  readonly failed?: { readonly change: PlannedChange; readonly message: string };
  /** Changes not attempted because an earlier one failed. */
  readonly notApplied: readonly PlannedChange[];
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
  const secrets = new Set<string>();
  let statements = 0;
  let stored = 0;
  const onStored = deps.afterSecretStored && (() => deps.afterSecretStored?.(++stored));
  const maintenance = await deps.connector.connect();
  try {
    for (const unit of units(changes)) {
      let client: pg.Client | undefined;
      let current: PlannedChange | undefined;
      try {
        deps.assertLocked?.();
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
          const sql = await Promise.all(change.statements.map((statement) => resolve(statement, deps, secrets, onStored)));
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
        const failed = current ?? unit.changes[0]!;
        const message = redact(error instanceof Error ? error.message : String(error), secrets);
        const notApplied = changes.slice(applied.length).filter((change) => change !== failed);
        return { applied, failed: { change: failed, message }, notApplied };
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
    return { applied, notApplied: [] };
  } finally {
    await maintenance.end().catch(() => undefined);
  }
}

/** The SQL to run: a login role's password goes in as a SCRAM-SHA-256 verifier, never plaintext. */
async function resolve(statement: Statement, deps: ApplyDeps, secrets: Set<string>, onStored?: () => void): Promise<string> {
  if (!statement.password) return statement.sql;
  const password = await ensurePassword(deps.secrets, statement.password, deps.endpoint, onStored);
  secrets.add(password);
  return statement.sql.replace(PASSWORD_PLACEHOLDER, quoteLiteral(scramSha256Verifier(password)));
}
