/**
 * The GitHub side of the GitOps loop: `pr-comment`, `report-apply` and `drift-report`. They read
 * what plan and apply wrote, so they run the same on a laptop (GITHUB_TOKEN, GITHUB_REPOSITORY)
 * as in a workflow; GitHub failures are warnings and never change the exit code.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';

const positive = (flag: string) => (value: string) => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError(`${flag} takes a number`);
  return Number(value);
};

const exitCode = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("takes the plan step's exit code (0, 1 or 2)");
  return Number(value);
};

const planOptions = (command: Command) =>
  command
    .requiredOption('--plan <file>', 'the markdown plan: platon-db plan --format markdown > FILE')
    .addOption(new Option('--exit-code <n>', "the plan step's exit code (2 = changes, with --detailed-exitcode)").argParser(exitCode).default(0))
    .option('--log <file>', "the plan step's stderr, shown when no plan was made")
    .option('--artifact <name>', 'the workflow artifact holding the full plan', 'platon-db-plan')
    .option('--dry-run', 'print the text instead of posting it');

/** What planOptions parsed, as the app functions take it. */
const planRun = (o: Record<string, unknown>) => ({
  plan: o.plan as string,
  exitCode: o.exitCode as number,
  log: o.log as string | undefined,
  artifact: o.artifact as string,
  dryRun: Boolean(o.dryRun),
});

export function registerGitHub(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  planOptions(
    program
      .command('pr-comment')
      .description('post the plan as the one sticky comment on a pull request (updated in place on every push)'),
  )
    .addOption(new Option('--pr <number>', 'the pull request (default: the one the workflow run is for)').argParser(positive('--pr')))
    .addHelpText('after', '\nNeeds GITHUB_TOKEN and GITHUB_REPOSITORY (GITHUB_API_URL for GitHub Enterprise). Exit 0 even when GitHub refuses: that is a warning.')
    .action((options) => run(async () => (await import('../../app/pr-comment.js')).prComment({ ...planRun(options), pr: options.pr }, io))());

  program
    .command('report-apply')
    .description('comment the apply result on the merged pull request of the commit, and write it to the job summary')
    .requiredOption('--result <file>', 'what platon-db apply --result-file wrote (a missing file reports an apply that died)')
    .option('--commit <sha>', 'the applied commit (default: the one in the result, else GITHUB_SHA)')
    .addOption(new Option('--pr <number>', 'comment on this pull request instead of looking it up').argParser(positive('--pr')))
    .option('--dry-run', 'print the comment instead of posting it')
    .addHelpText('after', "\nExit 0 whatever GitHub answers: the apply step's own exit code is the verdict.")
    .action((options) =>
      run(async () => (await import('../../app/report-apply.js')).reportApply({ result: options.result, commit: options.commit, pr: options.pr, dryRun: Boolean(options.dryRun) }, io))(),
    );

  planOptions(
    program
      .command('drift-report')
      .description('open, update or close the drift issue of an instance from a plan --detailed-exitcode run')
      .requiredOption('--instance <name>', 'the instance the plan was made for (one drift issue per instance)'),
  )
    .addHelpText('after', '\nExit codes: 0 reported (drift or none), 1 the plan step failed (the issue is left alone).')
    .action((options) => run(async () => (await import('../../app/drift-report.js')).driftReport({ ...planRun(options), instance: options.instance }, io))());
}
