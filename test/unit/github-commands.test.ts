/**
 * pr-comment, report-apply and drift-report end to end in-process: files as the workflow steps
 * write them, GitHub as the GitHub double serves it (schema-checked, paged, comments with
 * authors). Whatever GitHub answers, the exit code is the one the command would give without
 * GitHub; failures are warnings on the run.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { driftMarker } from '../../src/adapters/github/drift-issue.js';
import type { ApplyReport } from '../../src/model/apply-report.js';
import { fullPlan, largePlan } from '../fixtures/plans/shared-pg15.js';
import { TOKEN, actionsEnv } from '../support/github-nock.js';
import { ACTIONS_BOT, BODY_LIMIT, useGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import type { OperationId } from '../support/github-openapi.js';

const gh = useGitHubDouble();

const PLAN_MARKER = '<!-- platon-db:plan -->';
const APPLY_MARKER = '<!-- platon-db:apply:shared-pg15 -->';
const SHA = 'c0ffee'.padEnd(40, '0');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'platon-db-gh-'));
});

async function run(argv: string[], env: Record<string, string> = actionsEnv()) {
  const summary = join(dir, 'summary.md');
  const result = await runCli(argv, { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary, ...env } });
  const summaryText = await readFile(summary, 'utf8').catch(() => '');
  expect(`${result.out}${result.err}${summaryText}`).not.toContain(TOKEN);
  return { ...result, summary: summaryText };
}

const write = (name: string, text: string) => writeFile(join(dir, name), text);

/** Every way a GitHub call can fail. */
const FAILURES: [string, (double: GitHubDouble, operation: OperationId) => unknown][] = [
  ['HTTP 500', (d, op) => d.fail(op, 500, { message: 'Server Error' })],
  ['HTTP 403', (d, op) => d.fail(op, 403, { message: 'Resource not accessible by integration' })],
  ['HTTP 404', (d, op) => d.fail(op, 404, { message: 'Not Found' })],
  ['network', (d, op) => d.failNetwork(op, 'ECONNREFUSED', 'connect ECONNREFUSED')],
];

/** The last comment on `issue`, which must be the workflow's own. */
const posted = (issue: number): string => {
  const last = gh.commentsOn(issue).at(-1);
  expect(last?.author).toBe(ACTIONS_BOT);
  return last!.body;
};

describe('pr-comment', () => {
  beforeEach(() => {
    gh.addPull({ number: 7 });
  });
  const prEnv = () => actionsEnv({ GITHUB_REF: 'refs/pull/7/merge' });

  it('creates the sticky comment on the workflow run\'s pull request, and writes the job summary', async () => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    gh.addComment(7, 'Looks fine', 'alice');
    const r = await run(['pr-comment', '--plan', 'plan.md', '--exit-code', '2'], prEnv());
    expect(r.code).toBe(0);
    expect(gh.commentsOn(7)).toHaveLength(2);
    expect(posted(7).startsWith(`${PLAN_MARKER}\n## platon-db plan for \`shared-pg15\``)).toBe(true);
    expect(posted(7)).toContain('Updated by [workflow run 4242](https://github.com/platon/platon-db/actions/runs/4242)');
    expect(r.summary).toContain('## platon-db plan for `shared-pg15`');
    expect(r.err).toContain('plan comment created on #7');
  });

  it('updates the comment it posted before, found by its marker', async () => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    gh.addComment(7, 'LGTM', 'bob');
    const ours = gh.addComment(7, `${PLAN_MARKER}\nan older plan`, ACTIONS_BOT);
    const r = await run(['pr-comment', '--plan', 'plan.md', '--pr', '7'], actionsEnv());
    expect(r.code).toBe(0);
    expect(r.err).toContain('plan comment updated on #7');
    expect(ours.body.startsWith(`${PLAN_MARKER}\n## platon-db plan`)).toBe(true);
    expect(gh.commentsOn(7)).toHaveLength(2);
  });

  it("leaves a reviewer's pasted copy of the plan comment alone and posts its own", async () => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    const pasted = gh.addComment(7, `${PLAN_MARKER}\nwhat the plan said yesterday`, 'alice');
    const r = await run(['pr-comment', '--plan', 'plan.md', '--pr', '7'], actionsEnv());
    expect(r.err).toContain('plan comment created on #7');
    expect(pasted.body).toBe(`${PLAN_MARKER}\nwhat the plan said yesterday`);
    expect(posted(7).startsWith(`${PLAN_MARKER}\n## platon-db plan`)).toBe(true);
  });

  it('shortens a plan over 65,536 characters and points at the artifact', async () => {
    const markdown = renderPlanMarkdown(largePlan(400));
    expect(markdown.length).toBeGreaterThan(BODY_LIMIT);
    await write('plan.md', markdown);
    const r = await run(['pr-comment', '--plan', 'plan.md', '--exit-code', '2'], prEnv());
    expect(r.code).toBe(0);
    // The double refuses what GitHub refuses: over 65,536 characters is a 422, and no comment.
    expect(r.err).toContain('plan comment created on #7');
    expect(posted(7).length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(posted(7)).toContain('The full plan and log are the `platon-db-plan` artifact of [this workflow run](https://github.com/platon/platon-db/actions/runs/4242).');
    expect(posted(7)).toContain('| `team399` |'); // the summary table is kept whole
  });

  it('if GitHub still refuses the comment as too long, the run says so in one warning line, exit 0', async () => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    // GitHub's answer, as seen from the API (jmikedupont2/ai-ticket#51).
    gh.fail('issues/create-comment', 422, {
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body is too long (maximum is 65536 characters)' }],
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '422',
    });
    const r = await run(['pr-comment', '--plan', 'plan.md'], prEnv());
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      '::warning::GitHub: commenting on #7 failed: HTTP 422 Validation Failed: Body is too long (maximum is 65536 characters) (GitHub refused the content)\n',
    );
    expect(r.err).not.toMatch(/^\s+at /m); // no stack trace
    expect(r.summary).toContain('## platon-db plan'); // the plan is still in the job summary
  });

  it('says why when no plan was made, with the end of the log', async () => {
    await write('plan.log', 'databases/x.yaml:3:1 error schema.required: missing team\nNothing was planned or applied\n');
    const r = await run(['pr-comment', '--plan', 'missing.md', '--exit-code', '1', '--log', 'plan.log'], prEnv());
    expect(r.code).toBe(0);
    expect(posted(7)).toContain('## platon-db plan failed');
    expect(posted(7)).toContain('databases/x.yaml:3:1 error schema.required: missing team');
  });

  it.each(FAILURES)('%s from GitHub is a warning on the run, exit 0', async (_name, reply) => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    reply(gh, 'issues/list-comments');
    const r = await run(['pr-comment', '--plan', 'plan.md'], prEnv());
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^::warning::GitHub: listing the comments of #7 failed: /m);
    expect(r.summary).toContain('## platon-db plan'); // the job summary still has the plan
  });

  it('a refused update is a warning too', async () => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    const ours = gh.addComment(7, `${PLAN_MARKER}\nold`, ACTIONS_BOT);
    gh.fail('issues/update-comment', 403, { message: 'Resource not accessible by integration' });
    const r = await run(['pr-comment', '--plan', 'plan.md'], prEnv());
    expect(r.code).toBe(0);
    expect(r.err).toContain(`::warning::GitHub: updating comment ${ours.id} failed: HTTP 403`);
  });

  it('without a token it warns; without a pull request it is a usage error; --dry-run prints', async () => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    const noToken = await run(['pr-comment', '--plan', 'plan.md', '--pr', '7'], { GITHUB_REPOSITORY: 'platon/platon-db' });
    expect(noToken.code).toBe(0);
    expect(noToken.err).toContain('warning: GITHUB_TOKEN is not set: the plan was not posted on #7');
    const noPr = await run(['pr-comment', '--plan', 'plan.md'], actionsEnv());
    expect(noPr.code).toBe(2);
    expect(noPr.err).toContain('error: no pull request to comment on');
    const dry = await run(['pr-comment', '--plan', 'plan.md', '--dry-run'], {});
    expect(dry.code).toBe(0);
    expect(dry.out.startsWith(`${PLAN_MARKER}\n## platon-db plan`)).toBe(true);
    expect(dry.out).not.toContain('Updated by'); // no run to link outside Actions
  });

  it('a missing plan file after a plan that did not fail is a usage error', async () => {
    const r = await run(['pr-comment', '--plan', 'nope.md', '--pr', '7']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('nope.md does not exist');
  });
});

const report = (over: Partial<ApplyReport> = {}): ApplyReport => ({
  version: 1,
  outcome: 'applied',
  instance: 'shared-pg15',
  commit: SHA,
  applied: [
    { database: 'studentweb', action: 'create', summary: 'create role studentweb_rw (login)' },
    { database: 'studentweb', action: 'create', summary: 'create database studentweb owned by studentweb_owner' },
  ],
  failed: null,
  notApplied: [],
  credentials: [{ database: 'studentweb', role: 'studentweb_rw', location: 'vault:secret/platon/rds/shared-pg15/studentweb/rw' }],
  errors: [],
  diagnostics: [],
  message: null,
  ...over,
});

describe('report-apply', () => {

  it('comments the result on the merged pull request of the commit, and the job summary says the same', async () => {
    await write('result.json', JSON.stringify(report()));
    gh.addPull({ number: 11, mergedAt: null, commits: [SHA] });
    gh.addPull({ number: 12, mergeCommitSha: SHA, commits: [SHA] });
    const r = await run(['report-apply', '--result', 'result.json']);
    expect(r.code).toBe(0);
    const comment = posted(12);
    expect(comment.startsWith(`${APPLY_MARKER}\n## platon-db apply on \`shared-pg15\`: 2 changes applied`)).toBe(true);
    expect(comment).toContain('| `studentweb` | `studentweb_rw` | `vault:secret/platon/rds/shared-pg15/studentweb/rw` |');
    expect(comment).toContain('[workflow run](https://github.com/platon/platon-db/actions/runs/4242)');
    expect(r.summary).toBe(comment.slice(APPLY_MARKER.length + 1));
    expect(r.err).toContain('apply result created on #12');
  });

  it('says what failed and what was left', async () => {
    await write(
      'result.json',
      JSON.stringify(
        report({
          outcome: 'failed',
          applied: [{ database: 'a', action: 'create', summary: 'create role a_owner' }],
          failed: { change: { database: 'a', action: 'create', summary: 'create database a' }, message: 'permission denied to create database' },
          notApplied: [{ database: 'a', action: 'create', summary: 'create extension pg_trgm' }],
          credentials: [],
        }),
      ),
    );
    const r = await run(['report-apply', '--result', 'result.json', '--dry-run'], {});
    expect(r.out).toContain('## platon-db apply on `shared-pg15`: failed after 1 change');
    expect(r.out).toContain('**Apply failed at:** create database a');
    expect(r.out).toContain('permission denied to create database');
    expect(r.out).toContain('1 change applied before it; it and the 1 change after it were not.');
    expect(r.out).toContain('<details><summary>Not applied: 1 change</summary>');
  });

  it('reports an apply that left no result file', async () => {
    const r = await run(['report-apply', '--result', 'gone.json', '--dry-run'], {});
    expect(r.code).toBe(0);
    expect(r.out).toContain('**The apply stopped:** the apply step left no result');
  });

  it('keeps a huge first apply under the comment limit', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ database: `team${i}`, action: 'create' as const, summary: `create role team${i}_rw (login, connection limit 20)` }));
    await write('result.json', JSON.stringify(report({ applied: many, credentials: [] })));
    const r = await run(['report-apply', '--result', 'result.json', '--dry-run'], actionsEnv());
    expect([...r.out].length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(r.out).toMatch(/- \.\.\. and \d+ more, listed in the \[run log\]/);
  });

  it.each(FAILURES)('%s from GitHub is a warning, exit 0, and the job summary is still written', async (_name, reply) => {
    await write('result.json', JSON.stringify(report({ outcome: 'failed', failed: { change: report().applied[0]!, message: 'boom' } })));
    reply(gh, 'repos/list-pull-requests-associated-with-commit');
    const r = await run(['report-apply', '--result', 'result.json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^::warning::GitHub: finding the pull request of commit c0ffee000000 failed: /m);
    expect(r.summary).toContain('**Apply failed at:**');
  });

  it('a commit pushed without a pull request only gets the job summary', async () => {
    await write('result.json', JSON.stringify(report()));
    const r = await run(['report-apply', '--result', 'result.json']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`::warning::commit ${SHA} came from no merged pull request`);
    expect(r.summary).toContain('2 changes applied');
  });

  it('a result file that is not one is a clear error', async () => {
    await write('result.json', '{"version": 9}');
    const r = await run(['report-apply', '--result', 'result.json']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is not an apply result: version 9, expected 1');
  });
});

describe('drift-report', () => {
  const marker = driftMarker('shared-pg15');
  const driftIssue = (body: string) => gh.addIssue({ number: 21, body, labels: ['drift'], author: ACTIONS_BOT });
  const drift = (extra: string[] = []) => ['drift-report', '--instance', 'shared-pg15', '--plan', 'plan.md', ...extra];

  it('opens the issue on drift (exit 2), with the plan', async () => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    gh.addIssue({ number: 20, body: 'an unrelated issue' });
    const r = await run(drift(['--exit-code', '2']));
    expect(r.code).toBe(0);
    const opened = gh.issues.find((i) => i.number === 21)!;
    expect(opened).toMatchObject({ labels: ['drift'], state: 'open', author: ACTIONS_BOT });
    const body = opened.body;
    expect(body.startsWith(`${marker}\nThe scheduled drift check found that the live instance \`shared-pg15\` no longer matches`)).toBe(true);
    expect(body).toContain('## platon-db plan for `shared-pg15`');
    expect(r.err).toContain('drift issue: opened #21');
  });

  it('updates the open issue while drift lasts', async () => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    const ours = driftIssue(`${marker}\nolder drift`);
    expect((await run(drift(['--exit-code', '2']))).err).toContain('drift issue: updated #21');
    expect(ours.body).toContain('## platon-db plan for `shared-pg15`');
  });

  it('closes it when the drift is gone (exit 0)', async () => {
    await write('plan.md', renderPlanMarkdown({ ...fullPlan, changes: [], notes: [], errors: [] }));
    const ours = driftIssue(`${marker}\nolder drift`);
    const r = await run(drift(['--exit-code', '0']));
    expect(r.code).toBe(0);
    expect(ours.state).toBe('closed');
    expect(posted(21)).toContain('No drift any more');
    expect(r.summary).toContain('## No drift on `shared-pg15`');
    expect(r.err).toContain('drift issue: closed #21');
  });

  it('leaves the issue alone and fails when no plan was made', async () => {
    await write('plan.log', 'error: cannot connect to shared-pg15\n');
    const r = await run(drift(['--exit-code', '1', '--log', 'plan.log']));
    expect(r.code).toBe(1);
    expect(r.err).toContain('::warning::the drift check on shared-pg15 made no plan (exit code 1)');
    expect(r.summary).toContain('## Drift check failed on `shared-pg15`');
  });

  it('a plan step that made no plan for another reason (killed, usage error) fails the run too', async () => {
    await write('plan.md', '');
    const r = await run(drift(['--exit-code', '143']));
    expect(r.code).toBe(1);
    expect(r.err).toContain('made no plan (exit code 143)');
  });

  it.each(FAILURES)('%s from GitHub is a warning; the exit code stays that of the check', async (_name, reply) => {
    await write('plan.md', renderPlanMarkdown(fullPlan));
    reply(gh, 'issues/list-for-repo');
    const r = await run(drift(['--exit-code', '2']));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^::warning::GitHub: listing open issues labelled drift failed: /m);
  });
});
