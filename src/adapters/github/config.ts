/**
 * Where the GitHub commands talk to, from the environment GitHub Actions sets (and a person can
 * set by hand): the same command works locally and in CI.
 */

export interface GitHubConfig {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  /** REST API root; GitHub Enterprise Server sets GITHUB_API_URL to its own. */
  readonly apiUrl: string;
  /**
   * PLATON_GITHUB_LOGIN: the login the token acts as, for a token GitHub will not name (a GitHub
   * App's installation token, e.g. `my-app[bot]`). Unset: asked of GitHub (see octokit.ts).
   */
  readonly login?: string;
}

export type ConfigResult = { readonly ok: true; readonly config: GitHubConfig } | { readonly ok: false; readonly reason: string };

type Env = Readonly<Record<string, string | undefined>>;

export function githubConfig(env: Env): ConfigResult {
  const token = env.GITHUB_TOKEN;
  const repository = env.GITHUB_REPOSITORY;
  if (!token) return { ok: false, reason: 'GITHUB_TOKEN is not set' };
  if (!repository) return { ok: false, reason: 'GITHUB_REPOSITORY is not set (owner/name)' };
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) return { ok: false, reason: `GITHUB_REPOSITORY must be owner/name, not ${repository}` };
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  return { ok: true, config: { token, owner, repo, apiUrl, ...(env.PLATON_GITHUB_LOGIN ? { login: env.PLATON_GITHUB_LOGIN } : {}) } };
}

/**
 * The link to this workflow run, where the full plan artifact lives; undefined outside Actions.
 * GITHUB_SERVER_URL differs from github.com on GitHub Enterprise Server.
 */
export function workflowRunUrl(env: Env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (!server || !repository || !runId) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}${attempt}`;
}
