/**
 * The GitHub side of a command is best-effort: the plan, the apply and the drift check are what
 * matter, and a comment GitHub refuses (rate limit, outage, a token without permission) is a
 * warning on the run, never a different exit code.
 */
import type { CommandIo } from '../model/command-io.js';
import type { GitHubApi } from '../adapters/github/api.js';
import { githubConfig } from '../adapters/github/config.js';
import { GitHubError } from '../adapters/github/errors.js';
import { octokitGitHub } from '../adapters/github/octokit.js';
import { warn } from '../adapters/github/actions-runner.js';

/** The API from the environment, or a warning saying what is missing and what is skipped. */
export function githubOrWarn(io: CommandIo, skipped: string): GitHubApi | undefined {
  const config = githubConfig(io.env);
  if (config.ok) return octokitGitHub(config.config);
  warn(io, `${config.reason}: ${skipped}`);
  return undefined;
}

/** Runs `fn`; a GitHub failure becomes a warning line and `undefined`. Anything else is a bug and throws. */
export async function bestEffort<T>(io: CommandIo, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    warn(io, error.message);
    return undefined;
  }
}
