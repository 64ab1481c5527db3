/**
 * `platon-db verify`: the isolation promises checked on the live instance from its catalogs, in a
 * READ ONLY transaction, so Platon can run it on the production instance at any time. It needs
 * only the instance file (and the database files, for adopted databases' role names); no AWS,
 * no secret store.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { AccessReport } from '../model/access.js';
import { roleNames, roleNamesOf } from '../model/role-names.js';
import { readAccessFacts } from '../inspect/access-facts.js';
import { isManagedDatabase } from '../diff/ownership.js';
import { checkAccess, vanishedDatabases } from '../verify/check-access.js';
import { UserError } from '../model/user-error.js';
import { describeConnectionFailure } from './connection-failure.js';
import { connectInstance, type TargetOptions } from './instance-target.js';
import { databasesFor, loadForInstance } from './load-state.js';

export interface VerifyRequest extends TargetOptions {
  readonly instance?: string;
  /** Only these managed databases (and their roles); default: all of them. */
  readonly databases?: readonly string[];
}

export type VerifyOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'verified'; readonly report: AccessReport };

export async function runVerify(request: VerifyRequest): Promise<VerifyOutcome> {
  const loaded = await loadForInstance(request.root, request.instance);
  if (!loaded.ok) return { kind: 'invalid', diagnostics: loaded.diagnostics };
  const { instance, repo } = loaded;
  const target = await connectInstance(instance, request);
  try {
    const facts = await readAccessFacts(target.connector).catch((error: unknown) => {
      throw describeConnectionFailure(instance, target, error);
    });
    const only = request.databases?.length ? new Set(request.databases) : undefined;
    const declared = new Map(databasesFor(repo, instance).map((spec) => [spec.name, spec]));
    const namesOf = (database: string) => {
      const spec = declared.get(database);
      return spec ? roleNamesOf(spec) : roleNames(database);
    };
    // A managed database its team dropped is still ours to report (its roles remain), not unknown.
    const vanished = new Set(vanishedDatabases(facts, namesOf));
    const unknown = [...(only ?? [])].filter((name) => {
      const db = facts.databases.get(name);
      return db ? !isManagedDatabase(db, facts) : !vanished.has(name);
    });
    if (unknown.length > 0) {
      throw new UserError(`not a managed database on instance ${instance.name}: ${unknown.sort().join(', ')}`, {
        hint: 'verify checks databases platon-db created (or adopted); leave out --database to check them all',
        exitCode: 2,
      });
    }
    const adopted = (database: string) => declared.get(database)?.adopt === true;
    const options = { instance: instance.name, admin: instance.connection.adminUser, planUser: instance.connection.planUser, namesOf, adopted };
    return { kind: 'verified', report: checkAccess(facts, { ...options, ...(only ? { only } : {}) }) };
  } finally {
    await target.close();
  }
}
