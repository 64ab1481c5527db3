/**
 * The Octokit adapter and the sticky-comment and drift-issue logic on top of it, against GitHub's
 * REST API as the GitHub double serves it (test/support/github-double.ts): requests and answers
 * checked against GitHub's OpenAPI description, lists paged, comments with authors.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { octokitGitHub } from '../../src/adapters/github/octokit.js';
import { githubConfig, workflowRunUrl } from '../../src/adapters/github/config.js';
import { GitHubError } from '../../src/adapters/github/errors.js';
import { hiddenMarker, upsertStickyComment } from '../../src/adapters/github/sticky-comment.js';
import { driftMarker, syncDriftIssue } from '../../src/adapters/github/drift-issue.js';
import { mergedPullRequest } from '../../src/adapters/github/merged-pull-request.js';
import { pullRequestFromEnv } from '../../src/adapters/github/event.js';
import { Octokit } from '@octokit/rest';
import { API, TOKEN, githubEnv } from '../support/github-nock.js';
import { ACTIONS_BOT, useGitHubDouble } from '../support/github-double.js';
import { responseProblem } from '../support/github-openapi.js';

const gh = useGitHubDouble();

const api = (env: Record<string, string> = {}) => {
  const config = githubConfig(githubEnv(env));
  if (!config.ok) throw new Error(config.reason);
  return octokitGitHub(config.config);
};
const MARKER = hiddenMarker('plan');

describe('config from the environment', () => {
  it.each([
    [{}, 'GITHUB_TOKEN is not set'],
    [{ GITHUB_TOKEN: 't' }, 'GITHUB_REPOSITORY is not set (owner/name)'],
    [{ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'nope' }, 'GITHUB_REPOSITORY must be owner/name, not nope'],
  ])('%j -> %s', (env, reason) => {
    expect(githubConfig(env)).toEqual({ ok: false, reason });
  });

  it('uses GITHUB_API_URL (GitHub Enterprise Server) and defaults to api.github.com', () => {
    expect(githubConfig({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'o/r', GITHUB_API_URL: 'https://ghe.example/api/v3/' })).toMatchObject({
      config: { owner: 'o', repo: 'r', apiUrl: 'https://ghe.example/api/v3' },
    });
    expect(githubConfig({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'o/r' })).toMatchObject({ config: { apiUrl: 'https://api.github.com' } });
  });

  it('links the workflow run, with the attempt after the first', () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9' };
    expect(workflowRunUrl(env)).toBe('https://github.com/o/r/actions/runs/9');
    expect(workflowRunUrl({ ...env, GITHUB_RUN_ATTEMPT: '2' })).toBe('https://github.com/o/r/actions/runs/9/attempts/2');
    expect(workflowRunUrl({})).toBeUndefined();
  });
});

describe('sticky comment', () => {
  // A pull request's conversation (issue 7) that people have commented on.
  const people = (count: number) => {
    gh.addPull({ number: 7 });
    for (let i = 0; i < count; i++) gh.addComment(7, `comment ${i}`, i % 2 ? 'alice' : 'bob');
  };

  it('creates the comment, as the token\'s account, when none of ours has the marker', async () => {
    people(1);
    const result = await upsertStickyComment(api(), 7, MARKER, 'the plan');
    expect(result.action).toBe('created');
    const created = gh.commentsOn(7).at(-1)!;
    expect(created).toMatchObject({ id: result.comment.id, body: `${MARKER}\nthe plan`, author: ACTIONS_BOT });
    expect(result.comment.author).toBe(ACTIONS_BOT);
  });

  it('finds ours on page 3 of the comments (GitHub pages at most 100) and updates it in place', async () => {
    people(230);
    const ours = gh.addComment(7, `${MARKER}\nold plan`, ACTIONS_BOT);
    // Comments list oldest first; move ours to position 215, on the third page of 100.
    gh.comments.splice(gh.comments.indexOf(ours), 1);
    gh.comments.splice(215, 0, ours);
    const result = await upsertStickyComment(api(), 7, MARKER, 'new plan');
    expect(result).toMatchObject({ action: 'updated', comment: { id: ours.id } });
    expect(ours.body).toBe(`${MARKER}\nnew plan`);
    expect(gh.commentsOn(7)).toHaveLength(231); // nothing new posted
    expect(gh.callsOf('issues/list-comments').map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
  });

  it('leaves an unchanged comment alone (no edit, no notification)', async () => {
    people(0);
    gh.addComment(7, `${MARKER}\r\nsame plan\r\n`, ACTIONS_BOT);
    expect((await upsertStickyComment(api(), 7, MARKER, 'same plan\n')).action).toBe('unchanged');
    expect(gh.callsOf('issues/update-comment')).toEqual([]);
  });

  it("never overwrites a team member's comment that carries our marker (GitHub would let us)", async () => {
    people(2);
    const pasted = gh.addComment(7, `${MARKER}\nthe plan alice pasted`, 'alice');
    const result = await upsertStickyComment(api(), 7, MARKER, 'new plan');
    expect(result.action).toBe('created');
    expect(pasted.body).toBe(`${MARKER}\nthe plan alice pasted`);
    expect(gh.commentsOn(7).at(-1)).toMatchObject({ body: `${MARKER}\nnew plan`, author: ACTIONS_BOT });
  });

  it("updates our own comment, not the team member's copy before it", async () => {
    people(2);
    const pasted = gh.addComment(7, `${MARKER}\nold plan`, 'alice');
    const ours = gh.addComment(7, `${MARKER}\nold plan`, ACTIONS_BOT);
    expect(await upsertStickyComment(api(), 7, MARKER, 'new plan')).toMatchObject({ action: 'updated', comment: { id: ours.id } });
    expect(ours.body).toBe(`${MARKER}\nnew plan`);
    expect(pasted.body).toBe(`${MARKER}\nold plan`);
  });

  it("with a person's token, GitHub names them (GET /user) and their comment is ours", async () => {
    gh.tokenOf('carol');
    people(1);
    const bots = gh.addComment(7, `${MARKER}\nfrom the workflow`, ACTIONS_BOT);
    const carols = gh.addComment(7, `${MARKER}\nold plan`, 'carol');
    expect(await upsertStickyComment(api(), 7, MARKER, 'new plan')).toMatchObject({ action: 'updated', comment: { id: carols.id } });
    expect(bots.body).toBe(`${MARKER}\nfrom the workflow`);
  });

  it('a GitHub App token names its bot in PLATON_GITHUB_LOGIN (GitHub will not say, GET /user is 403 for it)', async () => {
    people(0);
    const apps = gh.addComment(7, `${MARKER}\nold plan`, 'platon-db[bot]');
    gh.addComment(7, `${MARKER}\nold plan`, ACTIONS_BOT);
    expect(await upsertStickyComment(api({ PLATON_GITHUB_LOGIN: 'platon-db[bot]' }), 7, MARKER, 'new plan')).toMatchObject({
      action: 'updated',
      comment: { id: apps.id },
    });
    expect(gh.callsOf('users/get-authenticated')).toEqual([]);
  });
});

describe("GitHub's comment size limit: 65,536 characters", () => {
  // GitHub's answer to a longer body, as seen from the API (e.g. jmikedupont2/ai-ticket#51,
  // vebr/jest-lcov-reporter#14): 422 Validation Failed, "Body is too long (maximum is 65536 characters)".
  it('accepts 65,536 characters and refuses 65,537 with a one-line error naming the limit', async () => {
    gh.addPull({ number: 7 });
    await expect(api().createComment(7, 'x'.repeat(65_536))).resolves.toMatchObject({ author: ACTIONS_BOT });
    const error = await api()
      .createComment(7, 'x'.repeat(65_537))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).message).toBe(
      'GitHub: commenting on #7 failed: HTTP 422 Validation Failed: Body is too long (maximum is 65536 characters) (GitHub refused the content)',
    );
    expect(gh.commentsOn(7)).toHaveLength(1);
  });
});

describe('the double answers as GitHub does', () => {
  it("refuses a request body GitHub's OpenAPI description does not allow, with GitHub's 422", async () => {
    gh.addPull({ number: 7 });
    const octokit = new Octokit({ auth: TOKEN, baseUrl: API, log: { debug() {}, info() {}, warn() {}, error() {} } });
    const error = (await octokit.rest.issues
      .createComment({ owner: 'platon', repo: 'platon-db', issue_number: 7, body: 42 as unknown as string })
      .catch((e: unknown) => e)) as { status: number; response: { data: unknown } };
    expect(error.status).toBe(422);
    expect(error.response.data).toEqual({
      message: "Invalid request.\n\nFor 'properties/body', 42 is not a string.",
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '422',
    });
    expect(gh.commentsOn(7)).toEqual([]);
  });

  it('an answer missing what GitHub always sends is caught, so the double cannot drift from GitHub', () => {
    expect(responseProblem('issues/create-comment', 201, { id: 1, body: 'x', html_url: 'https://github.com/o/r/pull/1#issuecomment-1' })).toMatch(
      /^issues\/create-comment: the 201 answer does not fit GitHub's schema: \/ must have required property 'node_id'/,
    );
    expect(responseProblem('issues/list-comments', 201, [])).toBe('issues/list-comments: GitHub documents no 201 answer (only 200, 404, 410)');
  });

  it('pages as GitHub does: 30 by default, at most 100, and a link header naming the repository by id', async () => {
    gh.addPull({ number: 7 });
    for (let i = 0; i < 250; i++) gh.addComment(7, `c${i}`, 'bob');
    const get = (query: string) => fetch(`${API}/repos/platon/platon-db/issues/7/comments${query}`, { headers: { authorization: `token ${TOKEN}` } });
    const first = await get('');
    expect(((await first.json()) as unknown[]).length).toBe(30);
    expect(first.headers.get('link')).toBe(
      `<${API}/repositories/1300192/issues/7/comments?page=2>; rel="next", <${API}/repositories/1300192/issues/7/comments?page=9>; rel="last"`,
    );
    const middle = await get('?per_page=500&page=2');
    expect(((await middle.json()) as unknown[]).length).toBe(100);
    expect(middle.headers.get('link')).toBe(
      [
        `<${API}/repositories/1300192/issues/7/comments?per_page=500&page=1>; rel="prev"`,
        `<${API}/repositories/1300192/issues/7/comments?per_page=500&page=3>; rel="next"`,
        `<${API}/repositories/1300192/issues/7/comments?per_page=500&page=3>; rel="last"`,
        `<${API}/repositories/1300192/issues/7/comments?per_page=500&page=1>; rel="first"`,
      ].join(', '),
    );
  });
});

describe('the pull request of a commit', () => {
  const SHA = 'a'.repeat(40);
  it('prefers the PR whose merge made the commit, and ignores unmerged ones', async () => {
    gh.addPull({ number: 3, mergedAt: null, commits: [SHA] });
    gh.addPull({ number: 4, commits: [SHA] });
    gh.addPull({ number: 5, mergeCommitSha: SHA });
    expect((await mergedPullRequest(api(), SHA))?.number).toBe(5);
  });

  it('falls back to any merged PR, and to none', async () => {
    gh.addPull({ number: 3, mergedAt: null, commits: [SHA] });
    gh.addPull({ number: 4, commits: [SHA] });
    expect((await mergedPullRequest(api(), SHA))?.number).toBe(4);
    expect(await mergedPullRequest(api(), 'b'.repeat(40))).toBeUndefined();
  });

  it('looks past the first page of associated pull requests', async () => {
    for (let n = 1; n <= 120; n++) gh.addPull({ number: n, mergedAt: null, commits: [SHA] });
    gh.addPull({ number: 121, mergeCommitSha: SHA });
    expect((await mergedPullRequest(api(), SHA))?.number).toBe(121);
  });
});

describe('reviews', () => {
  it('are all read, past the first page, in submission order', async () => {
    gh.addPull({ number: 9 });
    for (let i = 0; i < 140; i++) gh.addReview(9, `reviewer${i}`, 'COMMENTED');
    gh.addReview(9, 'carol', 'APPROVED');
    const reviews = await api().listReviews(9);
    expect(reviews).toHaveLength(141);
    expect(reviews.at(-1)).toMatchObject({ user: 'carol', state: 'APPROVED' });
  });
});

describe('drift issue', () => {
  const marker = driftMarker('shared-pg15');
  const drift = (text: string | null) => ({ instance: 'shared-pg15', drift: text, resolvedNote: 'No drift any more.' });

  it('opens one labelled drift when there is none', async () => {
    // A person's own drift issue and a pull request with the label are not ours.
    gh.addIssue({ number: 1, body: 'seen something odd', labels: ['drift'] });
    gh.addPull({ number: 2 });
    gh.issues.find((i) => i.number === 2)!.body = `${marker}\nx`;
    gh.issues.find((i) => i.number === 2)!.labels = ['drift'];
    const result = await syncDriftIssue(api(), drift('the plan'));
    expect(result).toMatchObject({ action: 'opened', issue: { number: 3 } });
    expect(gh.issues.find((i) => i.number === 3)).toMatchObject({
      title: 'Drift: instance shared-pg15 differs from databases/',
      body: `${marker}\nthe plan`,
      labels: ['drift'],
      author: ACTIONS_BOT,
    });
  });

  it('updates the open one, and only when the plan changed', async () => {
    const ours = gh.addIssue({ number: 9, body: `${marker}\nold plan`, labels: ['drift'], author: ACTIONS_BOT });
    expect(await syncDriftIssue(api(), drift('new plan'))).toMatchObject({ action: 'updated', issue: { number: 9 } });
    expect(ours.body).toBe(`${marker}\nnew plan`);
    expect(await syncDriftIssue(api(), drift('new plan'))).toMatchObject({ action: 'unchanged' });
    expect(gh.callsOf('issues/update')).toHaveLength(1);
  });

  it('finds ours among more open drift issues than one page holds', async () => {
    // GitHub lists newest first: the oldest issue, ours, is on the last page.
    const ours = gh.addIssue({ number: 1, body: `${marker}\nold plan`, labels: ['drift'], author: ACTIONS_BOT });
    for (let n = 2; n <= 130; n++) gh.addIssue({ number: n, body: `seen ${n}`, labels: ['drift'] });
    expect(await syncDriftIssue(api(), drift('new plan'))).toMatchObject({ action: 'updated', issue: { number: 1 } });
    expect(ours.body).toBe(`${marker}\nnew plan`);
  });

  it("keeps another instance's issue, and a person's issue quoting our marker, apart", async () => {
    const other = gh.addIssue({ number: 4, body: `${driftMarker('dedicated-1')}\nits plan`, labels: ['drift'], author: ACTIONS_BOT });
    const quoted = gh.addIssue({ number: 5, body: `${marker}\nmy notes`, labels: ['drift'], author: 'alice' });
    expect(await syncDriftIssue(api(), drift('plan'))).toMatchObject({ action: 'opened', issue: { number: 6 } });
    expect(other.body).toBe(`${driftMarker('dedicated-1')}\nits plan`);
    expect(quoted).toMatchObject({ body: `${marker}\nmy notes`, state: 'open' });
  });

  it('closes it with a note when the drift is gone', async () => {
    const ours = gh.addIssue({ number: 9, body: `${marker}\nold plan`, labels: ['drift'], author: ACTIONS_BOT });
    expect(await syncDriftIssue(api(), drift(null))).toMatchObject({ action: 'closed', issues: [{ number: 9 }] });
    expect(ours.state).toBe('closed');
    expect(gh.commentsOn(9).map((c) => c.body)).toEqual(['No drift any more.']);
  });

  it('does nothing when there is no drift and no issue', async () => {
    expect(await syncDriftIssue(api(), drift(null))).toEqual({ action: 'none' });
  });
});

describe('failures are one line, name what failed, and never hold the token', () => {
  const failing = async (): Promise<GitHubError> => {
    gh.addPull({ number: 7 });
    const error = await api()
      .listComments(7)
      .then(
        () => {
          throw new Error('the call succeeded');
        },
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(GitHubError);
    const e = error as GitHubError;
    expect(e.message).not.toContain('\n');
    expect(e.cause).toBeUndefined();
    expect(`${e.message}${e.stack}${JSON.stringify(e)}`).not.toContain(TOKEN);
    return e;
  };

  it.each([
    [500, { message: 'Server Error' }, 'GitHub: listing the comments of #7 failed: HTTP 500 Server Error'],
    [
      403,
      { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' },
      'GitHub: listing the comments of #7 failed: HTTP 403 Resource not accessible by integration (the token lacks a permission (the workflow needs pull-requests: write or issues: write) or a rate limit was hit)',
    ],
    [404, { message: 'Not Found' }, 'GitHub: listing the comments of #7 failed: HTTP 404 Not Found (not found, or the token cannot see it)'],
    [401, { message: 'Bad credentials' }, 'GitHub: listing the comments of #7 failed: HTTP 401 Bad credentials (the token is missing, expired or wrong)'],
  ])('HTTP %i', async (status, body, message) => {
    gh.fail('issues/list-comments', status, body);
    const error = await failing();
    expect(error.message).toBe(message);
    expect(error.status).toBe(status);
  });

  it('network failure', async () => {
    gh.failNetwork('issues/list-comments', 'ECONNRESET', 'socket hang up');
    const error = await failing();
    expect(error.message).toBe('GitHub: listing the comments of #7 failed: cannot reach https://github.api.test: socket hang up (ECONNRESET)');
    expect(error.status).toBeUndefined();
  });
});

describe('the pull request of a workflow run', () => {
  it('comes from refs/pull/N/merge, else from the event payload', async () => {
    expect(await pullRequestFromEnv({ GITHUB_REF: 'refs/pull/42/merge' })).toBe(42);
    const dir = await mkdtemp(join(tmpdir(), 'platon-db-event-'));
    await writeFile(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 7 } }));
    expect(await pullRequestFromEnv({ GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_PATH: join(dir, 'event.json') })).toBe(7);
    expect(await pullRequestFromEnv({ GITHUB_REF: 'refs/heads/main' })).toBeUndefined();
    expect(await pullRequestFromEnv({ GITHUB_EVENT_PATH: join(dir, 'missing.json') })).toBeUndefined();
  });
});
