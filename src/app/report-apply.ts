/**
 * `platon-db report-apply`: after `apply --result-file`, one comment on the pull request the
 * applied commit came from, and the same text in the job summary. It runs as its own step, so
 * whatever GitHub answers, the apply's exit code stands; GitHub problems are warnings.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandIo } from '../model/command-io.js';
import { EXIT } from '../model/exit-codes.js';
import { UserError } from '../model/user-error.js';
import { mergedPullRequest } from '../adapters/github/merged-pull-request.js';
import { workflowRunUrl } from '../adapters/github/config.js';
import { appendJobSummary, warn } from '../adapters/github/actions-runner.js';
import { hiddenMarker, markedBody, upsertStickyComment } from '../adapters/github/sticky-comment.js';
import type { ApplyReport } from '../model/apply-report.js';
import { applyErrorReport, parseApplyReport } from './apply-report.js';
import { renderApplyReportMarkdown } from '../render/apply-report-markdown.js';
import { GITHUB_COMMENT_LIMIT } from '../render/plan-markdown-shorten.js';
import { bestEffort, githubOrWarn } from './github-client.js';

export interface ReportApplyOptions {
  readonly result: string;
  /** The applied commit; default: the report's, else GITHUB_SHA. */
  readonly commit?: string;
  /** Skip the lookup and comment on this pull request. */
  readonly pr?: number;
  readonly dryRun: boolean;
}

/** One apply comment per instance: a re-run of the workflow updates it instead of adding another. */
export const applyCommentMarker = (instance: string | null): string => hiddenMarker(`apply:${instance ?? 'unknown'}`);

export async function reportApply(options: ReportApplyOptions, io: CommandIo): Promise<number> {
  const report = await readReport(resolve(io.cwd, options.result), options.commit ?? io.env.GITHUB_SHA ?? null);
  const marker = applyCommentMarker(report.instance);
  const body = renderApplyReportMarkdown(report, { runUrl: workflowRunUrl(io.env) }, GITHUB_COMMENT_LIMIT - marker.length - 1);
  await appendJobSummary(io, body);
  if (options.dryRun) {
    io.stdout(markedBody(marker, body));
    return EXIT.ok;
  }
  const commit = options.commit ?? knownCommit(report.commit) ?? io.env.GITHUB_SHA;
  const api = githubOrWarn(io, 'the apply result is only in the job summary');
  if (!api) return EXIT.ok;
  await bestEffort(io, async () => {
    const pr = options.pr ?? (commit === undefined ? undefined : (await mergedPullRequest(api, commit))?.number);
    if (pr === undefined) {
      warn(io, `commit ${commit ?? '(unknown)'} came from no merged pull request (pushed directly?): the apply result is only in the job summary`);
      return;
    }
    const result = await upsertStickyComment(api, pr, marker, body);
    io.stderr(`apply result ${result.action} on #${pr}: ${result.comment.url}\n`);
  });
  return EXIT.ok;
}

const knownCommit = (commit: string | null): string | undefined => (commit && commit !== 'unknown' ? commit : undefined);

/**
 * A missing file means the apply step died before writing one (killed, cancelled, a crash): still
 * worth a comment, since the PR's author is waiting for their database.
 */
async function readReport(path: string, commit: string | null): Promise<ApplyReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
    return applyErrorReport('the apply step left no result (it crashed, timed out or was cancelled)', commit);
  }
  try {
    return parseApplyReport(text);
  } catch (error) {
    throw new UserError(`${path} is not an apply result: ${(error as Error).message}`, { hint: 'write it with platon-db apply --result-file FILE' });
  }
}
