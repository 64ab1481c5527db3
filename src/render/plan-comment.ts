/**
 * The body of the sticky plan comment (and the drift issue): the plan as `plan --format markdown`
 * wrote it, shortened to fit; or, when no plan could be made (invalid files, server unreachable),
 * why, with the end of the plan's log.
 */
import { shortenMarkdown } from './plan-markdown-shorten.js';
import { codeBlock } from './plan-markdown-syntax.js';

/** What one `platon-db plan --format markdown` run left behind. */
export interface PlanRun {
  /** Its stdout: the markdown plan, empty when it stopped before planning. */
  readonly markdown: string;
  /** 0 no changes, 2 changes (with --detailed-exitcode), 1 error. */
  readonly exitCode: number;
  /** Its stderr: diagnostics and connection errors (platon-db never prints a secret). */
  readonly log: string;
}

/** A run that produced a plan (a plan with errors still renders them). */
export const hasPlan = (run: PlanRun): boolean => run.markdown.trim().length > 0;

/** `artifactHint` is markdown pointing at the full plan and log. */
export function renderPlanComment(run: PlanRun, limit: number, artifactHint: string): string {
  if (hasPlan(run)) return shortenMarkdown(run.markdown, limit, artifactHint);
  const head = [
    '## platon-db plan failed',
    '',
    `No plan was made (exit code ${run.exitCode}). ${artifactHint}`,
  ].join('\n');
  const lines = run.log.trimEnd().split(/\r?\n/);
  if (run.log.trim() === '') return `${head}\n`;
  // The end of the log says why: keep as many of its last lines as fit.
  const room = limit - head.length - 32 - longestFence(run.log);
  let kept = 0;
  let size = 0;
  while (kept < lines.length && size + lines[lines.length - 1 - kept]!.length + 1 <= room) {
    size += lines[lines.length - 1 - kept]!.length + 1;
    kept += 1;
  }
  if (kept === 0) return `${head}\n`.slice(0, limit);
  const tail = kept === lines.length ? lines : ['...', ...lines.slice(-kept)];
  return `${head}\n\n${codeBlock('text', tail)}\n`;
}

/** codeBlock's fence is one backtick longer than the longest run inside, and appears twice. */
const longestFence = (text: string): number => 2 * [...text.matchAll(/`+/g)].reduce((n, m) => Math.max(n, m[0].length + 1), 3);
