/**
 * Where the commands find GitHub in tests: a made-up API root that nock intercepts (the GitHub
 * double, test/support/github-double.ts, answers there), a token, and the environment a workflow
 * gives the commands.
 */

export const API = 'https://github.api.test';
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
