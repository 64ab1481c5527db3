/** `platon-db plan` and `platon-db apply`. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import type { Plan } from '../../model/change.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { makePlan } from '../../app/plan.js';
import { blockedDatabases } from '../../apply/runnable.js';
import { runApply, type ApplyOutcome } from '../../app/apply.js';
import { recordApply } from '../../app/apply-report.js';
import { renderPlanText } from '../../render/plan-text.js';
import { renderPlanMarkdown } from '../../render/plan-markdown.js';
import { renderPlanJson } from '../../render/plan-json.js';
import { renderApplyResult } from '../../render/apply-result.js';
import { renderDiagnosticsText } from '../../render/diagnostics-text.js';
import { EXIT, type CommandIo } from '../io.js';
import { crashHooks } from '../test-hooks.js';
import type { Action } from '../main.js';

type PlanFormat = 'text' | 'markdown' | 'json';

export function renderPlan(plan: Plan, format: PlanFormat, io: CommandIo): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, { color: io.isTty });
}

/** Invalid files stop plan and apply before any server is touched. */
function reportInvalid(diagnostics: readonly Diagnostic[], io: CommandIo): number {
  io.stderr(renderDiagnosticsText(diagnostics, { color: io.isTty }));
  io.stderr('Nothing was planned or applied: fix the files above first (platon-db validate shows the same).\n');
  return EXIT.failure;
}

const rootOption = () => new Option('--root <dir>', 'the repository root').default('.');
const instanceOption = (purpose: string) => new Option('--instance <name>', `the instance to ${purpose} (default: the instance marked default)`);

export function registerPlanAndApply(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('plan')
    .description('show what an apply would change on the live instance (reads only)')
    .addOption(rootOption())
    .addOption(instanceOption('plan for'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--detailed-exitcode', 'exit 2 when the plan has changes, 0 when it has none')
    .option('--allow-destroy', 'plan drops of what the files no longer ask for (extensions)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 error (invalid files, plan errors, server unreachable), 2 changes (with --detailed-exitcode) or usage error.')
    .action((options) =>
      run(async () => {
        const outcome = await makePlan({
          root: resolve(io.cwd, options.root),
          env: io.env,
          instance: options.instance,
          allowDestroy: Boolean(options.allowDestroy),
          log: (message) => io.stderr(`${message}\n`),
        });
        if (outcome.kind === 'invalid') return reportInvalid(outcome.diagnostics, io);
        io.stdout(renderPlan(outcome.plan, options.format as PlanFormat, io));
        if (outcome.plan.errors.length > 0) return EXIT.failure;
        const changed = outcome.plan.changes.length > 0;
        return changed && options.detailedExitcode ? EXIT.usageOrChanges : EXIT.ok;
      })(),
    );

  program
    .command('apply')
    .description('make the live instance match databases/ (one apply at a time per instance)')
    .addOption(rootOption())
    .addOption(instanceOption('apply to'))
    .option('--auto-approve', 'apply without asking (CI); required when stdin is not a terminal')
    .option('--allow-destroy', 'also drop what the files no longer ask for (extensions); never CASCADE')
    .addOption(new Option('--lock-timeout <seconds>', 'how long to wait for another apply on the instance').default('300').argParser(seconds))
    .option('--result-file <file>', 'also write what happened as JSON, for platon-db report-apply (written on failure too)')
    .addHelpText('after', '\nExit codes: 0 applied (or nothing to do), 1 error or declined; what was applied is printed either way.')
    .action((options) =>
      run(async () => {
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
      })(),
    );
}

function seconds(value: string): number {
  const n = Number(value);
  // InvalidArgumentError: commander reports it as a usage error, not as an internal one.
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`--lock-timeout takes a number of seconds, not ${value}`);
  return n;
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
      if (outcome.plan.errors.length > 0) {
        const blocked = blockedDatabases(outcome.plan);
        io.stderr(
          `Not applied to ${blocked.length === 1 ? 'database' : 'databases'} ${blocked.join(', ')}: the plan has errors there (above); ` +
            'every other database was applied.\n',
        );
        return EXIT.failure;
      }
      return outcome.result.failed ? EXIT.failure : EXIT.ok;
  }
}
