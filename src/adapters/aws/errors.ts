/**
 * AWS failures as one line a person can act on: no credentials, a missing permission (named, so it
 * can be added to the role), throttling that outlasted the SDK's retries, a missing resource.
 * Never a stack trace or the SDK's encoded authorization message.
 */

/** Which call failed: the IAM action it needs and what it was about. */
export interface AwsCall {
  /** The IAM action, e.g. `ec2:AuthorizeSecurityGroupIngress`. */
  readonly permission: string;
  /** e.g. `security group sg-0a1` or `RDS instance shared-pg15`. */
  readonly target: string;
  readonly region: string;
}

export class AwsError extends Error {
  constructor(
    message: string,
    /** Stable, e.g. `aws.access-denied`. */
    readonly code: string,
    readonly hint: string | undefined,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = 'AwsError';
  }
}

interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly attempts?: number };
  readonly $retryable?: { readonly throttling?: boolean };
}

const ACCESS_DENIED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'AuthorizationError']);
const BAD_CREDENTIALS = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'SignatureDoesNotMatch',
]);
const THROTTLED = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException']);
const NOT_FOUND = new Set(['InvalidGroup.NotFound', 'InvalidGroupId.Malformed', 'DBInstanceNotFound', 'DBInstanceNotFoundFault', 'DBParameterGroupNotFound', 'DBParameterGroupNotFoundFault']);

/** The SDK error's name (the AWS error code), or '' for something that is not an SDK error. */
export const errorName = (error: unknown): string => {
  const shape = (error ?? {}) as SdkErrorShape;
  return shape.name ?? shape.code ?? '';
};

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function awsFailure(error: unknown, call: AwsCall): AwsError {
  if (error instanceof AwsError) return error;
  const shape = (error ?? {}) as SdkErrorShape;
  const name = errorName(error);
  const fail = (code: string, message: string, hint?: string) => new AwsError(message, code, hint, error);
  if (name === 'CredentialsProviderError') {
    return fail(
      'aws.no-credentials',
      `no AWS credentials for ${call.permission}: the default credential chain (environment, profile, SSO, web identity, instance role) found none`,
      'in GitHub Actions, give the job `id-token: write` and use aws-actions/configure-aws-credentials with the applier role; locally, set AWS_PROFILE or run `aws sso login`',
    );
  }
  if (ACCESS_DENIED.has(name)) {
    return fail('aws.access-denied', `AWS denied ${call.permission} on ${call.target}`, `the applier's IAM role needs ${call.permission} (README: "AWS permissions")`);
  }
  if (BAD_CREDENTIALS.has(name)) {
    return fail('aws.bad-credentials', `AWS refused the credentials for ${call.permission} (${name}): they are invalid or expired`, 'renew the session (aws sso login, or a fresh OIDC role session) and run again');
  }
  if (THROTTLED.has(name) || shape.$retryable?.throttling) {
    const attempts = shape.$metadata?.attempts;
    return fail(
      'aws.throttled',
      `AWS throttled ${call.permission} on ${call.target}${attempts ? ` and still refused after ${attempts} attempts` : ''}`,
      'run again in a few minutes; AWS_MAX_ATTEMPTS raises the number of attempts',
    );
  }
  if (NOT_FOUND.has(name)) {
    return fail('aws.not-found', `${call.target} does not exist in ${call.region} (${name})`, 'check the aws section of the instance file (region, identifier, security group ids)');
  }
  if (name === 'RulesPerSecurityGroupLimitExceeded') {
    return fail('aws.quota', `${call.target} is full: AWS refused another inbound rule (${name})`, "limits.rulesPerSecurityGroup in the instance file must not exceed the group's real quota");
  }
  const reason = oneLine(shape.message ?? String(error));
  return fail('aws.failed', `${call.permission} on ${call.target} failed: ${name && !reason.startsWith(name) ? `${name}: ` : ''}${reason}`);
}

/** Runs one SDK call, turning any failure into an AwsError. */
export async function attempt<T>(call: AwsCall, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw awsFailure(error, call);
  }
}
