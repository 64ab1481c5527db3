/**
 * The GitHub side of the GitOps loop, as small as the commands need: comments on pull requests,
 * the drift issue, and what the audit asks about a pull request. The real adapter is octokit.ts;
 * tests drive it through nock, so the HTTP calls are the contract.
 */

/** An issue or pull-request comment (GitHub keeps PR conversation comments on the issue). */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
  readonly url: string;
  /** The login GitHub shows as the comment's author (`ghost` for a deleted account). */
  readonly author: string;
}

export interface Issue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
  /** The login of whoever opened the issue. */
  readonly author: string;
}

/** A pull request as the commit-to-PR lookup and the audit see it. */
export interface PullRequestInfo {
  readonly number: number;
  readonly title: string;
  readonly url: string;
  /** The PR's author login. */
  readonly author: string;
  /** ISO time, or null when not merged. */
  readonly mergedAt: string | null;
  /** Null when not merged, or when the list endpoint does not say. */
  readonly mergedBy: string | null;
  /** The commit GitHub made on merge (merge, squash or rebase head). */
  readonly mergeCommitSha: string | null;
}

export interface Review {
  readonly user: string;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING. */
  readonly state: string;
  readonly submittedAt: string | null;
}

export interface GitHubApi {
  /** The repository as `owner/name`, for messages and links. */
  readonly repository: string;
  /**
   * The login GitHub writes our comments and issues under: only those are ours to update, however
   * their text looks (anyone can paste our marker).
   */
  viewer(): Promise<string>;
  /** Pull requests associated with a commit (`GET /repos/{o}/{r}/commits/{sha}/pulls`). */
  pullRequestsOfCommit(sha: string): Promise<PullRequestInfo[]>;
  pullRequest(number: number): Promise<PullRequestInfo>;
  /** Every comment, all pages, oldest first. */
  listComments(issue: number): Promise<IssueComment[]>;
  createComment(issue: number, body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<IssueComment>;
  /** Open issues (never pull requests) that carry `label`, all pages. */
  openIssuesWithLabel(label: string): Promise<Issue[]>;
  createIssue(issue: { title: string; body: string; labels: readonly string[] }): Promise<Issue>;
  updateIssue(number: number, change: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<Issue>;
  /** Every review, all pages, in submission order. */
  listReviews(pullRequest: number): Promise<Review[]>;
}
