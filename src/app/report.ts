/** `platon-db report`: what each database uses of the instance, against its limits. Reads only. */
import type { CapacityReport } from '../model/capacity.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { inspect } from '../inspect/inspect.js';
import { readUsage } from '../inspect/capacity.js';
import { buildCapacityReport } from '../report/capacity.js';
import { describeConnectionFailure } from './connection-failure.js';
import { connectInstance, type TargetOptions } from './instance-target.js';
import { databasesFor, loadForInstance } from './load-state.js';

export interface ReportRequest extends TargetOptions {
  readonly instance?: string;
  /** ISO 8601 for the report's date line; tests fix it. */
  readonly now?: string;
}

export type ReportOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'report'; readonly report: CapacityReport };

export async function runReport(request: ReportRequest): Promise<ReportOutcome> {
  const loaded = await loadForInstance(request.root, request.instance);
  if (!loaded.ok) return { kind: 'invalid', diagnostics: loaded.diagnostics };
  const { instance, repo } = loaded;
  const target = await connectInstance(instance, request);
  try {
    // Extensions only inside the databases: the read-only grant catalogs are the plan's business.
    const [live, usage] = await Promise.all([inspect(target.connector, { readOnlyChecks: new Set() }), readUsage(target.connector)]).catch(
      (error: unknown) => {
        throw describeConnectionFailure(instance, target, error);
      },
    );
    const generatedAt = request.now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return { kind: 'report', report: buildCapacityReport({ instance, declared: databasesFor(repo, instance), live, usage, generatedAt }) };
  } finally {
    await target.close();
  }
}
