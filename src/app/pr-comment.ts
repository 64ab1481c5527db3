/**
 * `platon-db pr-comment`: keeps one sticky plan comment on a pull request, updated on every push.
 * Over GitHub's comment limit it is shortened and points at the full plan in the run's artifact.
 */
import type { CommandIo } from '../model/command-io.js';
import { EXIT } from '../model/exit-codes.js';
import { UserError } from '../model/user-error.js';
import { workflowRunUrl } from '../adapters/github/config.js';
import { pullRequestFromEnv } from '../adapters/github/event.js';
import { appendJobSummary } from '../adapters/github/actions-runner.js';
import { hiddenMarker, markedBody, upsertStickyComment } from '../adapters/github/sticky-comment.js';
import { GITHUB_COMMENT_LIMIT } from '../render/plan-markdown-shorten.js';
import { renderPlanComment, type PlanRun } from '../render/plan-comment.js';
import { codeSpan } from '../render/plan-markdown-syntax.js';
import { bestEffort, githubOrWarn } from './github-client.js';
import { readPlanRun, type PlanRunFiles } from './plan-run.js';

export const PLAN_COMMENT_MARKER = hiddenMarker('plan');

export interface PrCommentOptions extends Omit<PlanRunFiles, 'cwd'> {
  readonly pr?: number;
  /** The name the workflow uploads the full plan under. */
  readonly artifact: string;
  /** Print the comment instead of posting it. */
  readonly dryRun: boolean;
}

export async function prComment(options: PrCommentOptions, io: CommandIo): Promise<number> {
  const run = await readPlanRun({ ...options, cwd: io.cwd });
  const body = planCommentBody(run, io.env, options.artifact);
  await appendJobSummary(io, body);
  if (options.dryRun) {
    io.stdout(markedBody(PLAN_COMMENT_MARKER, body));
    return EXIT.ok;
  }
  const pr = options.pr ?? (await pullRequestFromEnv(io.env));
  if (pr === undefined) {
    throw new UserError('no pull request to comment on', { hint: 'pass --pr NUMBER (in a pull_request workflow it is found by itself)', exitCode: EXIT.usageOrChanges });
  }
  const api = githubOrWarn(io, `the plan was not posted on #${pr}`);
  if (!api) return EXIT.ok;
  const result = await bestEffort(io, () => upsertStickyComment(api, pr, PLAN_COMMENT_MARKER, body));
  if (result) io.stderr(`plan comment ${result.action} on #${pr}: ${result.comment.url}\n`);
  return EXIT.ok;
}

/** The comment without its marker: the plan (or why there is none) and where this run is. */
export function planCommentBody(run: PlanRun, env: Readonly<Record<string, string | undefined>>, artifact: string): string {
  const runUrl = workflowRunUrl(env);
  const footer = runUrl ? `\n<sub>Updated by [workflow run ${env.GITHUB_RUN_ID}](${runUrl}).</sub>\n` : '';
  const hint = runUrl
    ? `The full plan and log are the ${codeSpan(artifact)} artifact of [this workflow run](${runUrl}).`
    : 'Run `platon-db plan` for the full plan.';
  // The marker line and the footer count against GitHub's limit too.
  const limit = GITHUB_COMMENT_LIMIT - PLAN_COMMENT_MARKER.length - 1 - footer.length;
  return renderPlanComment(run, limit, hint) + footer;
}
