/**
 * GitHubApi over @octokit/rest (ESM, global fetch). Every call is wrapped so a failure becomes a
 * one-line GitHubError; lists are paginated at 100 per page, GitHub's maximum.
 */
import { Octokit } from '@octokit/rest';
import type { GitHubApi, Issue, IssueComment, PullRequestInfo, Review } from './api.js';
import type { GitHubConfig } from './config.js';
import { describeGitHubError } from './errors.js';

const PER_PAGE = 100;

/**
 * The login GitHub gives the workflow's GITHUB_TOKEN: its comments show as "github-actions[bot]".
 * GitHub will not say so itself: GET /user answers an installation token 403 "Resource not
 * accessible by integration".
 */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export function octokitGitHub(config: GitHubConfig, options: { userAgent?: string } = {}): GitHubApi {
  const octokit = new Octokit({
    auth: config.token,
    baseUrl: config.apiUrl,
    userAgent: options.userAgent ?? 'platon-db',
    // A warning line on stderr, never a stack: the commands report failures themselves.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const repo = { owner: config.owner, repo: config.repo };
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw describeGitHubError(what, error);
    }
  };

  let viewer: Promise<string> | undefined;
  const whoAmI = async (): Promise<string> => {
    if (config.login) return config.login;
    try {
      return (await octokit.rest.users.getAuthenticated()).data.login;
    } catch (error) {
      if ((error as { status?: unknown }).status === 403) return ACTIONS_BOT_LOGIN;
      throw error;
    }
  };

  return {
    repository: `${config.owner}/${config.repo}`,
    viewer: () => (viewer ??= call('finding who the token belongs to', whoAmI)),
    pullRequestsOfCommit: (sha) =>
      call(`finding the pull request of commit ${sha.slice(0, 12)}`, async () =>
        (await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, { ...repo, commit_sha: sha, per_page: PER_PAGE })).map(
          toPullRequest,
        ),
      ),
    pullRequest: (number) =>
      call(`reading pull request #${number}`, async () => toPullRequest((await octokit.rest.pulls.get({ ...repo, pull_number: number })).data)),
    listComments: (issue) =>
      call(`listing the comments of #${issue}`, async () =>
        (await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issue, per_page: PER_PAGE })).map(toComment),
      ),
    createComment: (issue, body) =>
      call(`commenting on #${issue}`, async () => toComment((await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body })).data)),
    updateComment: (id, body) =>
      call(`updating comment ${id}`, async () => toComment((await octokit.rest.issues.updateComment({ ...repo, comment_id: id, body })).data)),
    openIssuesWithLabel: (label) =>
      call(`listing open issues labelled ${label}`, async () =>
        (await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, labels: label, state: 'open', per_page: PER_PAGE }))
          // The issues API lists pull requests too; they carry a pull_request key.
          .filter((issue) => !issue.pull_request)
          .map(toIssue),
      ),
    createIssue: ({ title, body, labels }) =>
      call('opening an issue', async () => toIssue((await octokit.rest.issues.create({ ...repo, title, body, labels: [...labels] })).data)),
    updateIssue: (number, change) =>
      call(`updating issue #${number}`, async () => toIssue((await octokit.rest.issues.update({ ...repo, issue_number: number, ...change })).data)),
    listReviews: (pullRequest) =>
      call(`listing the reviews of #${pullRequest}`, async () =>
        (await octokit.paginate(octokit.rest.pulls.listReviews, { ...repo, pull_number: pullRequest, per_page: PER_PAGE })).map(toReview),
      ),
  };
}

interface RawPull {
  number: number;
  title: string;
  html_url: string;
  user: { login: string } | null;
  merged_at: string | null;
  merge_commit_sha?: string | null;
  merged_by?: { login: string } | null;
}

const toPullRequest = (p: RawPull): PullRequestInfo => ({
  number: p.number,
  title: p.title,
  url: p.html_url,
  author: p.user?.login ?? 'ghost',
  mergedAt: p.merged_at,
  mergedBy: p.merged_by?.login ?? null,
  mergeCommitSha: p.merge_commit_sha ?? null,
});

// GitHub shows a deleted account's comments and issues as by "ghost".
const toComment = (c: { id: number; body?: string | null; html_url: string; user: { login: string } | null }): IssueComment => ({
  id: c.id,
  body: c.body ?? '',
  url: c.html_url,
  author: c.user?.login ?? 'ghost',
});

const toIssue = (i: { number: number; title: string; body?: string | null; html_url: string; user: { login: string } | null }): Issue => ({
  number: i.number,
  title: i.title,
  body: i.body ?? '',
  url: i.html_url,
  author: i.user?.login ?? 'ghost',
});

const toReview = (r: { user: { login: string } | null; state: string; submitted_at?: string | null }): Review => ({
  user: r.user?.login ?? 'ghost',
  state: r.state,
  submittedAt: r.submitted_at ?? null,
});
