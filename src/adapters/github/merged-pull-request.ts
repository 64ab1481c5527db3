import type { GitHubApi, PullRequestInfo } from './api.js';

/**
 * The pull request whose merge made `sha` on the default branch. GitHub associates a commit with
 * every PR that contains it; the one whose merge commit it is wins, else any merged one (a
 * rebase-merge makes new commits, and only the last is the merge commit).
 */
export async function mergedPullRequest(api: GitHubApi, sha: string): Promise<PullRequestInfo | undefined> {
  const pulls = (await api.pullRequestsOfCommit(sha)).filter((p) => p.mergedAt !== null);
  return pulls.find((p) => p.mergeCommitSha === sha) ?? pulls[0];
}
