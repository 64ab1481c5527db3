/**
 * GitHub's REST API as nock scopes: the adapter and the commands run their real Octokit calls
 * against `API`, and each test says which requests GitHub answers and how.
 */
import nock from 'nock';
import { afterEach, beforeAll, afterAll, expect } from 'vitest';

export const API = 'https://github.api.test';
export const REPO = '/repos/platon/platon-db';
export const TOKEN = 'ghs_test-token-never-printed';

/** The environment a workflow gives the commands. */
export const githubEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  GITHUB_TOKEN: TOKEN,
  GITHUB_REPOSITORY: 'platon/platon-db',
  GITHUB_API_URL: API,
  ...extra,
});

/** Runs in Actions: run links and ::warning:: annotations. */
export const actionsEnv = (extra: Record<string, string> = {}): Record<string, string> =>
  githubEnv({ GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '4242', ...extra });

export const github = () => nock(API).matchHeader('authorization', `token ${TOKEN}`);

/** No real network; every scope a test declares must have been used. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'GitHub calls the test expected but the code did not make').toEqual([]);
  });
}

/** GitHub's Link header for page `page` of `last`. */
export const linkHeader = (path: string, page: number, last: number): Record<string, string> =>
  page < last ? { link: `<${API}${path}?per_page=100&page=${page + 1}>; rel="next", <${API}${path}?per_page=100&page=${last}>; rel="last"` } : {};

export const comment = (id: number, body: string) => ({ id, body, html_url: `https://github.com/platon/platon-db/pull/7#issuecomment-${id}` });

export const issue = (number: number, body: string, extra: Record<string, unknown> = {}) => ({
  number,
  title: `issue ${number}`,
  body,
  html_url: `https://github.com/platon/platon-db/issues/${number}`,
  ...extra,
});

export const pull = (number: number, extra: Record<string, unknown> = {}) => ({
  number,
  title: `PR ${number}`,
  html_url: `https://github.com/platon/platon-db/pull/${number}`,
  user: { login: 'alice' },
  merged_at: '2025-01-02T03:04:05Z',
  merge_commit_sha: null,
  ...extra,
});
