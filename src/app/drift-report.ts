/**
 * `platon-db drift-report`: turns a scheduled `plan --detailed-exitcode` into one issue labelled
 * `drift` per instance: opened or updated while the live instance differs from git, closed once
 * it matches again. A plan that could not be made leaves the issue alone and fails the run.
 */
import type { CommandIo } from '../model/command-io.js';
import { EXIT } from '../model/exit-codes.js';
import { workflowRunUrl } from '../adapters/github/config.js';
import { appendJobSummary, warn } from '../adapters/github/actions-runner.js';
import { driftMarker, syncDriftIssue } from '../adapters/github/drift-issue.js';
import { GITHUB_COMMENT_LIMIT } from '../render/plan-markdown-shorten.js';
import { hasPlan, renderPlanComment, type PlanRun } from '../render/plan-comment.js';
import { codeSpan } from '../render/plan-markdown-syntax.js';
import { bestEffort, githubOrWarn } from './github-client.js';
import { readPlanRun, type PlanRunFiles } from './plan-run.js';

export interface DriftReportOptions extends Omit<PlanRunFiles, 'cwd'> {
  readonly instance: string;
  readonly artifact: string;
  readonly dryRun: boolean;
}

type Finding = { readonly kind: 'clean' } | { readonly kind: 'drift'; readonly body: string } | { readonly kind: 'unknown' };

export async function driftReport(options: DriftReportOptions, io: CommandIo): Promise<number> {
  const run = await readPlanRun({ ...options, cwd: io.cwd });
  const runUrl = workflowRunUrl(io.env);
  const finding = classify(run, options, runUrl);
  const where = runUrl ? ` ([run](${runUrl}))` : '';
  const instance = codeSpan(options.instance);
  const summary =
    finding.kind === 'drift'
      ? finding.body
      : finding.kind === 'clean'
        ? `## No drift on ${instance}\n\nThe live instance matches \`databases/\`${where}.\n`
        : `## Drift check failed on ${instance}\n\nNo plan was made (exit code ${run.exitCode})${where}; the drift issue was left as it is.\n`;
  await appendJobSummary(io, summary);
  // The run fails when the check could not be made or the plan has errors; drift is the issue's job.
  const exitCode = finding.kind === 'unknown' || run.exitCode === EXIT.failure ? EXIT.failure : EXIT.ok;
  if (finding.kind === 'unknown') {
    warn(io, `the drift check on ${options.instance} made no plan (exit code ${run.exitCode}): see the plan step's log`);
    return exitCode;
  }
  if (options.dryRun) {
    io.stdout(summary);
    return exitCode;
  }
  const api = githubOrWarn(io, 'the drift issue was not updated');
  if (!api) return exitCode;
  const synced = await bestEffort(io, () =>
    syncDriftIssue(api, {
      instance: options.instance,
      drift: finding.kind === 'drift' ? finding.body : null,
      resolvedNote: `No drift any more: the live instance ${instance} matches \`databases/\`${where}. Closing.`,
    }),
  );
  if (synced) io.stderr(`drift issue: ${describe(synced)}\n`);
  return exitCode;
}

function classify(run: PlanRun, options: DriftReportOptions, runUrl: string | undefined): Finding {
  if (run.exitCode === EXIT.ok) return { kind: 'clean' };
  // Exit 2 is drift; exit 1 with a plan is a plan with errors (e.g. an unmanaged database in the
  // way), which is the instance differing from git just as much.
  if (!hasPlan(run)) return { kind: 'unknown' };
  const intro = [
    `The scheduled drift check found that the live instance ${codeSpan(options.instance)} no longer matches \`databases/\`` +
      `${runUrl ? ` ([run](${runUrl}))` : ''}.`,
    'Someone changed it outside this repository, or an apply did not finish. Either re-run the apply workflow to restore ' +
      'what git says, or change the files to match what is live. This issue is updated by every check and closed when the drift is gone.',
    '',
  ].join('\n\n');
  const hint = runUrl ? `The full plan is the ${codeSpan(options.artifact)} artifact of [the run](${runUrl}).` : 'Run `platon-db plan` for the full plan.';
  return { kind: 'drift', body: intro + renderPlanComment(run, GITHUB_COMMENT_LIMIT - driftMarker(options.instance).length - 1 - intro.length, hint) };
}

function describe(synced: Awaited<ReturnType<typeof syncDriftIssue>>): string {
  switch (synced.action) {
    case 'none':
      return 'none open, none needed';
    case 'closed':
      return `closed ${synced.issues.map((i) => `#${i.number}`).join(', ')}`;
    default:
      return `${synced.action} #${synced.issue.number} ${synced.issue.url}`;
  }
}
