/**
 * GitHub's REST API as a stateful double behind nock: the real Octokit (request building,
 * pagination, error parsing) runs against it. A test seeds comments, issues, pull requests and
 * reviews, runs the code, and reads back what GitHub would then hold.
 *
 * It fails the way GitHub fails:
 * - Every request body is checked against the operation's requestBody schema in GitHub's OpenAPI
 *   description (test/support/github-openapi.ts); a misfit is GitHub's 422 "Invalid request." with
 *   its `For 'properties/body', ...` detail.
 * - Every answer it gives is checked against the documented schema for that status; a misfit is a
 *   problem the test fails on (afterEach), so the double cannot drift from GitHub.
 * - A comment (or issue) body over 65,536 characters, or blank, is a 422 "Validation Failed" with
 *   the errors GitHub sends.
 * - Every list pages: `per_page` 30 by default, at most 100, and a `link` header with
 *   rel="prev"/"next"/"last"/"first" pointing at `/repositories/{id}/...` as GitHub writes it.
 * - The token has an identity: by default the workflow's GITHUB_TOKEN, whose comments GitHub
 *   shows as `github-actions[bot]` and for which GET /user is 403 "Resource not accessible by
 *   integration"; or a person's token (GET /user names them). A comment carries its author.
 * - A request the double does not serve is a 404 and a problem: the code called something the
 *   double does not model.
 */
import nock from 'nock';
import { afterEach, beforeAll, afterAll, beforeEach, expect } from 'vitest';
import type { ErrorObject } from 'ajv';
import { API, TOKEN } from './github-nock.js';
import { example, operation, requestErrors, responseProblem, type OperationId } from './github-openapi.js';

export const OWNER = 'platon';
export const REPO_NAME = 'platon-db';
/** The repository's id: GitHub's `link` headers name repositories by id. */
export const REPO_ID = 1300192;
/** The login GitHub gives the workflow's GITHUB_TOKEN (comments show "github-actions[bot]"). */
export const ACTIONS_BOT = 'github-actions[bot]';
/** GitHub's limit on a comment or issue body, in characters. */
export const BODY_LIMIT = 65_536;

export interface StoredComment {
  readonly id: number;
  readonly issue: number;
  body: string;
  readonly author: string;
  readonly createdAt: string;
  updatedAt: string;
}

export interface StoredIssue {
  readonly number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  readonly author: string;
  /** Pull requests are issues too; the issues list shows them with a `pull_request` key. */
  readonly isPullRequest: boolean;
}

export interface StoredPull {
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly mergedAt: string | null;
  readonly mergedBy: string | null;
  readonly mergeCommitSha: string | null;
  /** Commits GitHub associates the pull request with (GET /commits/{sha}/pulls). */
  readonly commits: readonly string[];
}

export interface StoredReview {
  readonly id: number;
  readonly pull: number;
  readonly author: string;
  readonly state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  readonly submittedAt: string;
}

export interface Request {
  readonly operation: OperationId;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

type Fault = Answer | { readonly network: { readonly code: string; readonly message: string } };

export class GitHubDouble {
  /** Who the token belongs to; `viewerIsApp` for GITHUB_TOKEN and other installation tokens. */
  viewer = ACTIONS_BOT;
  viewerIsApp = true;
  comments: StoredComment[] = [];
  issues: StoredIssue[] = [];
  pulls: StoredPull[] = [];
  reviews: StoredReview[] = [];
  /** Every request the code made, in order. */
  requests: Request[] = [];
  /** Answers the double refused to give (not GitHub-shaped) and requests it does not serve. */
  problems: string[] = [];
  private faults = new Map<OperationId, Fault[]>();
  private nextId = 1000;
  private clock = Date.parse('2025-01-01T00:00:00Z');

  reset(): void {
    Object.assign(this, new GitHubDouble());
  }

  /** The token is a person's (a PAT): GET /user answers their login. */
  tokenOf(login: string): this {
    this.viewer = login;
    this.viewerIsApp = false;
    return this;
  }

  addComment(issue: number, body: string, author: string = this.viewer): StoredComment {
    const time = this.tick();
    const comment = { id: this.nextId++, issue, body, author, createdAt: time, updatedAt: time };
    this.comments.push(comment);
    return comment;
  }

  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  addIssue(issue: Partial<StoredIssue> & { readonly body: string }): StoredIssue {
    const number = issue.number ?? this.nextNumber();
    const stored: StoredIssue = { title: `issue ${number}`, labels: [], state: 'open', author: 'alice', isPullRequest: false, ...issue, number };
    this.issues.push(stored);
    return stored;
  }

  addPull(pull: Partial<StoredPull> & { readonly number: number }): StoredPull {
    const stored: StoredPull = {
      title: `PR ${pull.number}`,
      author: 'alice',
      mergedAt: '2025-01-02T03:04:05Z',
      mergedBy: null,
      mergeCommitSha: null,
      commits: [],
      ...pull,
    };
    this.pulls.push(stored);
    if (!this.issues.some((i) => i.number === pull.number)) {
      this.issues.push({ number: pull.number, title: stored.title, body: '', labels: [], state: stored.mergedAt ? 'closed' : 'open', author: stored.author, isPullRequest: true });
    }
    return stored;
  }

  addReview(pull: number, author: string, state: StoredReview['state'], submittedAt = this.tick()): StoredReview {
    const review = { id: this.nextId++, pull, author, state, submittedAt };
    this.reviews.push(review);
    return review;
  }

  /** The next call of `operation` gets this HTTP answer instead (e.g. 403, 500, GitHub's own 422). */
  fail(operation: OperationId, status: number, body: unknown): this {
    return this.fault(operation, { status, body });
  }

  /** The next call of `operation` gets no answer: the connection fails with `code`. */
  failNetwork(operation: OperationId, code: string, message: string): this {
    return this.fault(operation, { network: { code, message } });
  }

  callsOf(operation: OperationId): Request[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  private fault(operation: OperationId, fault: Fault): this {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), fault]);
    return this;
  }

  tick(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private nextNumber(): number {
    return Math.max(0, ...this.issues.map((i) => i.number)) + 1;
  }

  /** The nock reply: route, check the request, answer, check the answer. */
  handle(method: string, url: URL, headers: Record<string, string | string[] | undefined>, rawBody: string): Answer | Fault {
    const path = url.pathname.replace(new RegExp(`^/repositories/${REPO_ID}(?=/)`), `/repos/${OWNER}/${REPO_NAME}`);
    const route = ROUTES.find((r) => operation(r.id).method === method && r.pattern.test(path));
    if (!route) {
      this.problems.push(`the code called ${method} ${url.pathname}, which the GitHub double does not serve`);
      return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
    }
    const params = route.pattern.exec(path)!.groups ?? {};
    let body: unknown;
    try {
      body = rawBody === '' ? undefined : JSON.parse(rawBody);
    } catch {
      return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: operation(route.id).docs, status: '400' } };
    }
    this.requests.push({ operation: route.id, method, path, query: url.searchParams, body });
    if (headers.authorization !== `token ${TOKEN}`) {
      return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } };
    }
    const fault = this.faults.get(route.id)?.shift();
    if (fault) return fault;
    const invalid = requestErrors(route.id, body ?? {});
    if (invalid.length > 0) return invalidRequest(route.id, invalid, body);
    const answer = route.answer(this, { params, query: url.searchParams, body: body as Record<string, unknown>, url });
    const problem = responseProblem(route.id, answer.status, answer.body);
    if (problem) {
      this.problems.push(problem);
      return { status: 500, body: { message: `the GitHub double's answer is not GitHub's: ${problem}` } };
    }
    return answer;
  }

  // --- GitHub's objects, built from the documented examples so they carry every field ---

  commentObject(c: StoredComment): Record<string, unknown> {
    return {
      ...example('issue-comment'),
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${API}/repos/${OWNER}/${REPO_NAME}/issues/comments/${c.id}`,
      html_url: `https://github.com/${OWNER}/${REPO_NAME}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${API}/repos/${OWNER}/${REPO_NAME}/issues/${c.issue}`,
      body: c.body,
      user: this.account(c.author),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.author === ACTIONS_BOT ? 'NONE' : 'MEMBER',
      performed_via_github_app: null,
    };
  }

  issueObject(i: StoredIssue): Record<string, unknown> {
    const { pull_request: _, ...base } = example('issue');
    return {
      ...base,
      id: i.number * 10,
      node_id: `I_${i.number}`,
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      user: this.account(i.author),
      labels: i.labels.map((name, n) => ({ ...(example('issue').labels as Record<string, unknown>[])[0], id: n + 1, name })),
      url: `${API}/repos/${OWNER}/${REPO_NAME}/issues/${i.number}`,
      html_url: `https://github.com/${OWNER}/${REPO_NAME}/${i.isPullRequest ? 'pull' : 'issues'}/${i.number}`,
      ...(i.isPullRequest
        ? {
            pull_request: {
              url: `${API}/repos/${OWNER}/${REPO_NAME}/pulls/${i.number}`,
              html_url: `https://github.com/${OWNER}/${REPO_NAME}/pull/${i.number}`,
              diff_url: `https://github.com/${OWNER}/${REPO_NAME}/pull/${i.number}.diff`,
              patch_url: `https://github.com/${OWNER}/${REPO_NAME}/pull/${i.number}.patch`,
              merged_at: this.pulls.find((p) => p.number === i.number)?.mergedAt ?? null,
            },
          }
        : {}),
    };
  }

  pullObject(p: StoredPull, simple: boolean): Record<string, unknown> {
    const base = simple ? example('pull-request-simple-items') : example('pull-request');
    const merged = p.mergedAt !== null;
    return {
      ...base,
      id: p.number * 100,
      number: p.number,
      title: p.title,
      user: this.account(p.author),
      state: merged ? 'closed' : 'open',
      merged_at: p.mergedAt,
      closed_at: p.mergedAt,
      merge_commit_sha: p.mergeCommitSha,
      html_url: `https://github.com/${OWNER}/${REPO_NAME}/pull/${p.number}`,
      url: `${API}/repos/${OWNER}/${REPO_NAME}/pulls/${p.number}`,
      // The documented example's team lacks `type`, which the schema (and GitHub) has.
      requested_teams: [],
      ...(simple ? {} : { merged, merged_by: p.mergedBy === null ? null : this.account(p.mergedBy) }),
    };
  }

  reviewObject(r: StoredReview): Record<string, unknown> {
    return {
      ...example('pull-request-review'),
      id: r.id,
      node_id: `PRR_${r.id}`,
      user: this.account(r.author),
      state: r.state,
      // A pending review is not submitted: GitHub sends no submitted_at.
      submitted_at: r.state === 'PENDING' ? undefined : r.submittedAt,
      html_url: `https://github.com/${OWNER}/${REPO_NAME}/pull/${r.pull}#pullrequestreview-${r.id}`,
      pull_request_url: `${API}/repos/${OWNER}/${REPO_NAME}/pulls/${r.pull}`,
      author_association: 'MEMBER',
    };
  }

  /** A user object as GitHub embeds it (`user`, `merged_by`); logins ending [bot] are bots. */
  account(login: string): Record<string, unknown> {
    const user = example('issue-comment').user as Record<string, unknown>;
    const bot = login.endsWith('[bot]');
    return {
      ...Object.fromEntries(Object.entries(user).map(([key, value]) => [key, typeof value === 'string' ? value.replaceAll('octocat', encodeURIComponent(login)) : value])),
      login,
      id: [...login].reduce((sum, c) => (sum * 31 + c.charCodeAt(0)) % 100_000_000, 7),
      node_id: `${bot ? 'BOT' : 'U'}_${login}`,
      type: bot ? 'Bot' : 'User',
    };
  }
}

/** GitHub's 422 for a body that does not fit the schema, in its wording. */
function invalidRequest(id: OperationId, errors: readonly ErrorObject[], body: unknown): Answer {
  // GitHub (Ruby) writes the value as Ruby shows it: nil for null.
  const shown = (pointer: string) => {
    const value = pointer.split('/').slice(1).reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], body);
    return value === null ? 'nil' : JSON.stringify(value);
  };
  const details = errors.map((e) => {
    if (e.keyword === 'required') return `"${(e.params as { missingProperty: string }).missingProperty}" wasn't supplied.`;
    const where = `properties${e.instancePath || '/'}`.replace(/\/$/, '');
    return `For '${where}', ${e.keyword === 'type' ? `${shown(e.instancePath)} is not a ${(e.params as { type: string }).type}.` : `${e.message}.`}`;
  });
  return { status: 422, body: { message: `Invalid request.\n\n${[...new Set(details)].join('\n')}`, documentation_url: operation(id).docs, status: '422' } };
}

/** GitHub's 422 for a body it will not store (seen in answers to real requests). */
function validationFailed(id: OperationId, resource: 'IssueComment' | 'Issue', message: string): Answer {
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: [{ resource, code: 'unprocessable', field: 'data', message }], documentation_url: operation(id).docs, status: '422' },
  };
}

/** Why GitHub refuses `body`, if it does: blank, or longer than 65,536 characters (code points). */
function bodyRefusal(id: OperationId, resource: 'IssueComment' | 'Issue', body: unknown): Answer | undefined {
  if (typeof body !== 'string') return undefined;
  if (body.trim() === '' && resource === 'IssueComment') return validationFailed(id, resource, 'Body cannot be blank');
  if ([...body].length > BODY_LIMIT) return validationFailed(id, resource, `Body is too long (maximum is ${BODY_LIMIT} characters)`);
  return undefined;
}

/**
 * One page of `items` the way GitHub pages: `per_page` (default 30, at most 100) and `page`
 * from the query, and a `link` header naming the other pages by repository id.
 */
function paged(items: readonly unknown[], url: URL): Answer {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const pageUrl = (n: number) => {
    const target = new URL(url.pathname.replace(new RegExp(`^/repos/${OWNER}/${REPO_NAME}(?=/)`), `/repositories/${REPO_ID}`), API);
    for (const [key, value] of url.searchParams) if (key !== 'page') target.searchParams.append(key, value);
    target.searchParams.set('page', String(n));
    return `<${target.href}>`;
  };
  const links = [
    ...(page > 1 ? [`${pageUrl(Math.min(page - 1, last))}; rel="prev"`] : []),
    ...(page < last ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`] : []),
    ...(page > 1 ? [`${pageUrl(1)}; rel="first"`] : []),
  ];
  return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

interface Call {
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly url: URL;
}

interface Route {
  readonly id: OperationId;
  readonly pattern: RegExp;
  readonly answer: (gh: GitHubDouble, call: Call) => Answer;
}

const notFound = (id: OperationId): Answer => ({ status: 404, body: { message: 'Not Found', documentation_url: operation(id).docs, status: '404' } });

const ROUTES: readonly Route[] = (
  [
    {
      id: 'users/get-authenticated',
      answer: (gh) =>
        gh.viewerIsApp
          ? { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: operation('users/get-authenticated').docs, status: '403' } }
          : { status: 200, body: { ...example('private-user'), ...gh.account(gh.viewer), login: gh.viewer } },
    },
    {
      id: 'issues/list-comments',
      answer: (gh, { params, url }) =>
        gh.issues.some((i) => i.number === Number(params.issue_number)) || gh.commentsOn(Number(params.issue_number)).length > 0
          ? paged(gh.commentsOn(Number(params.issue_number)).map((c) => gh.commentObject(c)), url)
          : notFound('issues/list-comments'),
    },
    {
      id: 'issues/create-comment',
      answer: (gh, { params, body }) =>
        bodyRefusal('issues/create-comment', 'IssueComment', body.body) ?? { status: 201, body: gh.commentObject(gh.addComment(Number(params.issue_number), String(body.body))) },
    },
    {
      id: 'issues/update-comment',
      answer: (gh, { params, body }) => {
        const comment = gh.comments.find((c) => c.id === Number(params.comment_id));
        if (!comment) return notFound('issues/update-comment');
        const refused = bodyRefusal('issues/update-comment', 'IssueComment', body.body);
        if (refused) return refused;
        comment.body = String(body.body);
        comment.updatedAt = gh.tick();
        return { status: 200, body: gh.commentObject(comment) };
      },
    },
    {
      id: 'issues/list-for-repo',
      answer: (gh, { query, url }) => {
        const state = query.get('state') ?? 'open';
        const labels = (query.get('labels') ?? '').split(',').filter(Boolean);
        // GitHub's default order: newest first (sort=created, direction=desc).
        const issues = gh.issues
          .filter((i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l)))
          .sort((a, b) => b.number - a.number);
        return paged(issues.map((i) => gh.issueObject(i)), url);
      },
    },
    {
      id: 'issues/create',
      answer: (gh, { body }) =>
        bodyRefusal('issues/create', 'Issue', body.body) ?? {
          status: 201,
          body: gh.issueObject(
            gh.addIssue({ title: String(body.title), body: String(body.body ?? ''), labels: ((body.labels ?? []) as string[]).map(String), author: gh.viewer }),
          ),
        },
    },
    {
      id: 'issues/update',
      answer: (gh, { params, body }) => {
        const issue = gh.issues.find((i) => i.number === Number(params.issue_number));
        if (!issue) return notFound('issues/update');
        const refused = bodyRefusal('issues/update', 'Issue', body.body);
        if (refused) return refused;
        if (typeof body.title === 'string') issue.title = body.title;
        if (typeof body.body === 'string') issue.body = body.body;
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
        return { status: 200, body: gh.issueObject(issue) };
      },
    },
    {
      id: 'pulls/get',
      answer: (gh, { params }) => {
        const pull = gh.pulls.find((p) => p.number === Number(params.pull_number));
        return pull ? { status: 200, body: gh.pullObject(pull, false) } : notFound('pulls/get');
      },
    },
    {
      id: 'pulls/list-reviews',
      answer: (gh, { params, url }) =>
        paged(
          gh.reviews.filter((r) => r.pull === Number(params.pull_number)).map((r) => gh.reviewObject(r)),
          url,
        ),
    },
    {
      id: 'repos/list-pull-requests-associated-with-commit',
      answer: (gh, { params, url }) =>
        paged(
          gh.pulls.filter((p) => p.commits.includes(params.commit_sha!) || p.mergeCommitSha === params.commit_sha).map((p) => gh.pullObject(p, true)),
          url,
        ),
    },
  ] satisfies Omit<Route, 'pattern'>[]
).map((route) => ({ ...route, pattern: templatePattern(operation(route.id).path) }));

/** `/repos/{owner}/{repo}/issues/{issue_number}` -> a regex with named groups, for this repository only. */
function templatePattern(template: string): RegExp {
  const source = template
    .replace('{owner}', OWNER)
    .replace('{repo}', REPO_NAME)
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}$`);
}

/**
 * The double for a test file: fresh state before each test, nock intercepting every GitHub call,
 * and after each test a failure for any answer that was not GitHub's or call it does not serve.
 */
export function useGitHubDouble(): GitHubDouble {
  const gh = new GitHubDouble();
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    gh.reset();
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
      nock(API)
        .persist()
        .intercept(/.*/, method)
        .reply(function (this: nock.ReplyFnContext, uri, requestBody, callback) {
          const raw = typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody);
          const answer = gh.handle(method, new URL(uri, API), this.req.headers, raw);
          if ('network' in answer) {
            callback(Object.assign(new Error(answer.network.message), { code: answer.network.code }), [0, '']);
            return;
          }
          callback(null, [
            answer.status,
            answer.body === undefined ? '' : JSON.stringify(answer.body),
            { 'content-type': 'application/json; charset=utf-8', ...answer.headers },
          ]);
        });
    }
  });
  afterEach(() => {
    nock.cleanAll();
    expect(gh.problems, 'GitHub answers the double refused to give, or calls it does not serve').toEqual([]);
  });
  return gh;
}

