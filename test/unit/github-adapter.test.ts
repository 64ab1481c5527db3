/**
 * The Octokit adapter and the sticky-comment and drift-issue logic on top of it, against GitHub's
 * REST API as nock serves it: the HTTP requests are the contract.
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
import { REPO, TOKEN, comment, github, githubEnv, issue, linkHeader, pull, useNock } from '../support/github-nock.js';

useNock();

const api = () => {
  const config = githubConfig(githubEnv());
  if (!config.ok) throw new Error(config.reason);
  return octokitGitHub(config.config);
};
const MARKER = hiddenMarker('plan');
const COMMENTS = `${REPO}/issues/7/comments`;

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
  it('creates the comment when none has the marker', async () => {
    github().get(COMMENTS).query({ per_page: 100 }).reply(200, [comment(1, 'LGTM')]);
    const post = github()
      .post(COMMENTS, (body) => body.body === `${MARKER}\nthe plan`)
      .reply(201, comment(2, `${MARKER}\nthe plan`));
    const result = await upsertStickyComment(api(), 7, MARKER, 'the plan');
    expect(result.action).toBe('created');
    expect(result.comment.id).toBe(2);
    expect(post.isDone()).toBe(true);
  });

  it('finds ours by the marker on a later page and updates it in place', async () => {
    const page1 = Array.from({ length: 100 }, (_, i) => comment(100 + i, `comment ${i}`));
    github().get(COMMENTS).query({ per_page: 100 }).reply(200, page1, linkHeader(COMMENTS, 1, 2));
    github()
      .get(COMMENTS)
      .query({ per_page: 100, page: 2 })
      .reply(200, [comment(300, `a reviewer quoting ${MARKER} mid-text`), comment(301, `${MARKER}\nold plan`)]);
    github().patch(`${REPO}/issues/comments/301`, { body: `${MARKER}\nnew plan` }).reply(200, comment(301, `${MARKER}\nnew plan`));
    const result = await upsertStickyComment(api(), 7, MARKER, 'new plan');
    expect(result).toMatchObject({ action: 'updated', comment: { id: 301 } });
  });

  it('leaves an unchanged comment alone (no edit, no notification)', async () => {
    github().get(COMMENTS).query(true).reply(200, [comment(5, `${MARKER}\r\nsame plan\r\n`)]);
    expect((await upsertStickyComment(api(), 7, MARKER, 'same plan\n')).action).toBe('unchanged');
  });
});

describe('the pull request of a commit', () => {
  const SHA = 'a'.repeat(40);
  it('prefers the PR whose merge made the commit, and ignores unmerged ones', async () => {
    github()
      .get(`${REPO}/commits/${SHA}/pulls`)
      .query(true)
      .reply(200, [pull(3, { merged_at: null }), pull(4), pull(5, { merge_commit_sha: SHA })]);
    expect((await mergedPullRequest(api(), SHA))?.number).toBe(5);
  });

  it('falls back to any merged PR, and to none', async () => {
    github().get(`${REPO}/commits/${SHA}/pulls`).query(true).reply(200, [pull(3, { merged_at: null }), pull(4)]);
    expect((await mergedPullRequest(api(), SHA))?.number).toBe(4);
    github().get(`${REPO}/commits/${SHA}/pulls`).query(true).reply(200, []);
    expect(await mergedPullRequest(api(), SHA)).toBeUndefined();
  });
});

describe('drift issue', () => {
  const ISSUES = `${REPO}/issues`;
  const marker = driftMarker('shared-pg15');
  const listOpen = () => github().get(ISSUES).query({ labels: 'drift', state: 'open', per_page: 100 });
  const drift = (text: string | null) => ({ instance: 'shared-pg15', drift: text, resolvedNote: 'No drift any more.' });

  it('opens one labelled drift when there is none', async () => {
    // A person's own drift issue and a pull request with the label are not ours.
    listOpen().reply(200, [issue(1, 'seen something odd'), issue(2, `${marker}\nx`, { pull_request: { url: 'u' } })]);
    github()
      .post(ISSUES, { title: 'Drift: instance shared-pg15 differs from databases/', body: `${marker}\nthe plan`, labels: ['drift'] })
      .reply(201, issue(3, `${marker}\nthe plan`));
    expect(await syncDriftIssue(api(), drift('the plan'))).toMatchObject({ action: 'opened', issue: { number: 3 } });
  });

  it('updates the open one, and only when the plan changed', async () => {
    listOpen().reply(200, [issue(9, `${marker}\nold plan`)]);
    github().patch(`${ISSUES}/9`, { body: `${marker}\nnew plan` }).reply(200, issue(9, `${marker}\nnew plan`));
    expect(await syncDriftIssue(api(), drift('new plan'))).toMatchObject({ action: 'updated', issue: { number: 9 } });

    listOpen().reply(200, [issue(9, `${marker}\nnew plan`)]);
    expect(await syncDriftIssue(api(), drift('new plan'))).toMatchObject({ action: 'unchanged' });
  });

  it("keeps another instance's issue apart", async () => {
    listOpen().reply(200, [issue(4, `${driftMarker('dedicated-1')}\nits plan`)]);
    github().post(ISSUES).reply(201, issue(5, `${marker}\nplan`));
    expect(await syncDriftIssue(api(), drift('plan'))).toMatchObject({ action: 'opened', issue: { number: 5 } });
  });

  it('closes it with a note when the drift is gone', async () => {
    listOpen().reply(200, [issue(9, `${marker}\nold plan`)]);
    github().post(`${ISSUES}/9/comments`, { body: 'No drift any more.' }).reply(201, comment(1, 'No drift any more.'));
    github().patch(`${ISSUES}/9`, { state: 'closed' }).reply(200, issue(9, `${marker}\nold plan`));
    expect(await syncDriftIssue(api(), drift(null))).toMatchObject({ action: 'closed', issues: [{ number: 9 }] });
  });

  it('does nothing when there is no drift and no issue', async () => {
    listOpen().reply(200, []);
    expect(await syncDriftIssue(api(), drift(null))).toEqual({ action: 'none' });
  });
});

describe('failures are one line, name what failed, and never hold the token', () => {
  const failing = async (reply: (scope: ReturnType<typeof github>) => void): Promise<GitHubError> => {
    reply(github());
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
    const error = await failing((scope) => scope.get(COMMENTS).query(true).reply(status, body));
    expect(error.message).toBe(message);
    expect(error.status).toBe(status);
  });

  it('network failure', async () => {
    const error = await failing((scope) => scope.get(COMMENTS).query(true).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' }));
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
