/**
 * GitHub failures as one line a person can act on. Octokit's RequestError carries the status, the
 * request and a message that may run on with a documentation URL; we keep what matters.
 */

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    // No `cause`: Octokit's error holds the request, headers included, and the message says enough.
    super(message);
    this.name = 'GitHubError';
  }
}

/** What usually causes a status, said the way a workflow author fixes it. */
const HINTS: Record<number, string> = {
  401: 'the token is missing, expired or wrong',
  403: 'the token lacks a permission (the workflow needs pull-requests: write or issues: write) or a rate limit was hit',
  404: 'not found, or the token cannot see it',
  422: 'GitHub refused the content',
};

interface RequestErrorLike {
  readonly status: number;
  readonly message: string;
  readonly request?: { readonly url?: string };
  readonly response?: unknown;
  readonly cause?: unknown;
}

const isRequestError = (error: unknown): error is RequestErrorLike =>
  error instanceof Error && typeof (error as Partial<RequestErrorLike>).status === 'number';

/** `what` says what we were doing, e.g. `listing the comments of #12`. */
export function describeGitHubError(what: string, error: unknown): GitHubError {
  if (error instanceof GitHubError) return error;
  if (isRequestError(error)) {
    // Octokit reports a request that got no response (DNS, refused, reset) as a 500 without one.
    if (error.status === 500 && error.response === undefined) {
      return new GitHubError(`GitHub: ${what} failed: cannot reach ${origin(error.request?.url)}: ${networkReason(error)}`, undefined);
    }
    const detail = responseDetail(error.response) ?? firstLine(error.message.replace(/\s+-\s+https:\/\/docs\.github\.com\S*/g, ''));
    const hint = HINTS[error.status];
    return new GitHubError(`GitHub: ${what} failed: HTTP ${error.status} ${detail}${hint ? ` (${hint})` : ''}`, error.status);
  }
  return new GitHubError(`GitHub: ${what} failed: ${networkReason(error instanceof Error ? error : { message: String(error) })}`, undefined);
}

/**
 * GitHub's own words from the error body: its message ("Validation Failed", or "Invalid request."
 * followed by lines naming the field) and each error's message, e.g. "Body is too long (maximum is
 * 65536 characters)". Octokit's message would hold the errors as JSON.
 */
function responseDetail(response: unknown): string | undefined {
  const data = (response as { data?: unknown } | undefined)?.data as { message?: unknown; errors?: unknown } | undefined;
  if (typeof data?.message !== 'string') return undefined;
  const reasons = Array.isArray(data.errors)
    ? data.errors
        .map((e: { message?: unknown; field?: unknown; code?: unknown }) => (typeof e?.message === 'string' ? e.message : [e?.field, e?.code].filter((x) => typeof x === 'string').join(' ')))
        .filter((reason) => reason !== '')
    : [];
  const message = data.message.replace(/\s+/g, ' ').trim();
  return (reasons.length > 0 ? `${message}: ${reasons.join('; ')}` : message).slice(0, 300);
}

/** fetch's own message is often vague ("fetch failed"); the system error code is in a cause. */
function networkReason(error: { readonly message: string; readonly cause?: unknown }): string {
  const causes: { code?: unknown; message?: unknown }[] = [];
  for (let c = error.cause; causes.length < 3 && typeof c === 'object' && c !== null; c = (c as { cause?: unknown }).cause) {
    causes.push(c as { code?: unknown; message?: unknown });
  }
  const code = causes.map((c) => c.code).find((x): x is string => typeof x === 'string');
  const causeMessage = causes.map((c) => c.message).find((x): x is string => typeof x === 'string' && x !== '');
  const message = error.message === 'Unknown Error' && causeMessage ? causeMessage : error.message;
  return firstLine(code && !message.includes(code) ? `${message} (${code})` : message);
}

const origin = (url: string | undefined): string => {
  try {
    return new URL(url ?? '').origin;
  } catch {
    return 'the API';
  }
};

const firstLine = (text: string): string => text.split(/\r?\n/)[0]!.trim().slice(0, 300);
