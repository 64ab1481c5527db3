/** What `platon-db plan` and `apply` do once their arguments are parsed (loaded only when they run). */
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { hasPendingWork, type Plan } from '../../model/change.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { makePlan } from '../../app/plan.js';
import { blockedDatabases } from '../../apply/runnable.js';
import { runApply, type ApplyOutcome } from '../../app/apply.js';
import { recordApply } from '../../app/apply-report.js';
import { renderPlanText } from '../../render/plan-text.js';
import { renderPlanMarkdown } from '../../render/plan-markdown.js';
import { renderPlanJson } from '../../render/plan-json.js';
import { renderApplyResult } from '../../render/apply-result.js';
import { reportInvalidFiles } from '../commands/invalid.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';
import { crashHooks } from '../test-hooks.js';

type PlanFormat = 'text' | 'markdown' | 'json';

function renderPlan(plan: Plan, format: PlanFormat, io: CommandIo): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, { color: io.isTty });
}

/** Invalid files stop plan and apply before any server is touched. */
const reportInvalid = (diagnostics: readonly Diagnostic[], io: CommandIo): number => reportInvalidFiles(diagnostics, io, 'Nothing was planned or applied');

export interface PlanOptions {
  readonly root: string;
  readonly instance?: string;
  readonly format: PlanFormat;
  readonly detailedExitcode?: boolean;
  readonly allowDestroy?: boolean;
}

export async function planAction(options: PlanOptions, io: CommandIo): Promise<number> {
  const outcome = await makePlan({
    root: resolve(io.cwd, options.root),
    env: io.env,
    instance: options.instance,
    allowDestroy: Boolean(options.allowDestroy),
    log: (message) => io.stderr(`${message}\n`),
  });
  if (outcome.kind === 'invalid') return reportInvalid(outcome.diagnostics, io);
  io.stdout(renderPlan(outcome.plan, options.format, io));
  if (outcome.plan.errors.length > 0) return EXIT.failure;
  return hasPendingWork(outcome.plan) && options.detailedExitcode ? EXIT.usageOrChanges : EXIT.ok;
}

export interface ApplyOptions {
  readonly root: string;
  readonly instance?: string;
  readonly autoApprove?: boolean;
  readonly allowDestroy?: boolean;
  readonly lockTimeout: number;
  readonly resultFile?: string;
}

export async function applyAction(options: ApplyOptions, io: CommandIo): Promise<number> {
  const resultFile = options.resultFile === undefined ? undefined : resolve(io.cwd, options.resultFile);
  const outcome = await recordApply(resultFile, () => runApply({
    root: resolve(io.cwd, options.root),
    env: io.env,
    instance: options.instance,
    allowDestroy: Boolean(options.allowDestroy),
    lockTimeoutMs: options.lockTimeout * 1000,
    log: (message) => io.stderr(`${message}\n`),
    approve: (plan) => approve(plan, Boolean(options.autoApprove), io),
    onApplied: (change, index, total) => io.stdout(`  applied ${index}/${total}: ${change.summary}\n`),
    ...crashHooks(io.env),
  }));
  return reportApply(outcome, io);
}

async function approve(plan: Plan, autoApprove: boolean, io: CommandIo): Promise<boolean> {
  io.stdout(renderPlanText(plan, { color: io.isTty }));
  if (autoApprove) return true;
  if (!process.stdin.isTTY) {
    io.stderr('Not applied: pass --auto-approve to apply without a terminal to confirm in.\n');
    return false;
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question('Apply these changes? Only "yes" is accepted: ');
    return answer.trim() === 'yes';
  } finally {
    prompt.close();
  }
}

function reportApply(outcome: ApplyOutcome, io: CommandIo): number {
  switch (outcome.kind) {
    case 'invalid':
      return reportInvalid(outcome.diagnostics, io);
    case 'refused':
      io.stdout(renderPlanText(outcome.plan, { color: io.isTty }));
      io.stderr('Nothing was applied: the plan has errors.\n');
      return EXIT.failure;
    case 'declined':
      io.stderr('Nothing was applied.\n');
      return EXIT.failure;
    case 'applied':
      if (outcome.plan.changes.length === 0) io.stdout(renderPlanText(outcome.plan, { color: io.isTty }));
      io.stdout(renderApplyResult(outcome.plan, outcome.result));
      for (const failure of outcome.result.databaseFailures ?? []) {
        io.stderr(`Not applied to database ${failure.database}: ${failure.change.summary} failed: ${failure.message}\n`);
      }
      if (outcome.plan.errors.length > 0) {
        const blocked = blockedDatabases(outcome.plan);
        io.stderr(
          `Not applied to ${blocked.length === 1 ? 'database' : 'databases'} ${blocked.join(', ')}: the plan has errors there (above); ` +
            'every other database was applied.\n',
        );
        return EXIT.failure;
      }
      return outcome.result.failed || outcome.result.databaseFailures?.length ? EXIT.failure : EXIT.ok;
  }
}
