/** What `platon-db local-run` (`npm start`) does once its arguments are parsed (loaded only when it runs). */
import { resolve } from 'node:path';
import { hasErrors } from '../../model/diagnostic.js';
import { loadRepository } from '../../app/load-repository.js';
import { localRun } from '../../app/local-run.js';
import { renderPlanText } from '../../render/plan-text.js';
import { renderApplyResult } from '../../render/apply-result.js';
import { renderDiagnosticsText } from '../../render/diagnostics-text.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';

export interface LocalRunOptions {
  readonly root: string;
  readonly instance: string;
}

export async function localRunAction(options: LocalRunOptions, io: CommandIo): Promise<number> {
  const root = resolve(io.cwd, options.root);
  const step = (n: number, title: string) => io.stdout(`\n== ${n}/4 ${title} ==\n`);
  step(1, 'validate');
  const { spec, diagnostics } = await loadRepository(root);
  if (diagnostics.length > 0) io.stdout(renderDiagnosticsText(diagnostics, { color: io.isTty }));
  if (hasErrors(diagnostics)) return EXIT.failure;
  io.stdout(`${spec.databases.length} database files and ${spec.instances.length} instance files are valid.\n`);
  let planned = 0;
  const report = await localRun(
    { root, env: io.env, instance: options.instance, log: (m) => io.stderr(`${m}\n`) },
    {
      onPlan: (_label, plan) => {
        step(planned === 0 ? 2 : 4, planned === 0 ? `plan (instance ${plan.instance})` : 'plan again: should be empty');
        planned += 1;
        io.stdout(renderPlanText(plan, { color: io.isTty }));
        if (planned === 1) step(3, 'apply');
      },
      onApplied: (change, index, total) => io.stdout(`  applied ${index}/${total}: ${change.summary}\n`),
      onApplyDone: (plan, result) => io.stdout(plan.changes.length === 0 ? 'Nothing to apply.\n' : renderApplyResult(plan, result)),
    },
  );
  if ('kind' in report) return EXIT.failure;
  const { host, port } = report.session.endpoint;
  const server = report.session.stopped
    ? `the local instance (${host}:${port}) has stopped with this run; to keep it running, e.g. to connect with psql, run \`npx platon-db local-server\``
    : `the local instance listens on ${host}:${port}`;
  io.stdout(`\nSummary: ${report.result.applied.length} changes applied; ${server}.\n`);
  io.stdout(`Each team's credentials (user, password, host, port, database, uri) are in .platon/secrets/local/<database>/<rw|ro>.json\n`);
  const converged = report.second.changes.length === 0 && report.second.errors.length === 0 && !report.result.failed;
  io.stdout(converged ? 'The second plan is empty: the local instance matches databases/.\n' : 'The second plan is NOT empty: see above.\n');
  return converged ? EXIT.ok : EXIT.failure;
}
