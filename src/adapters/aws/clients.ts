/**
 * SDK clients for one instance's region. Credentials come from the SDK's default chain (in CI the
 * GitHub OIDC role that aws-actions/configure-aws-credentials sets up); none are ever passed here.
 * Throttling is retried by the SDK's standard retry mode (exponential backoff with jitter).
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';

export interface AwsClientOptions {
  readonly region: string;
  /** Attempts per call, first one included. */
  readonly maxAttempts: number;
}

export const ec2Client = (options: AwsClientOptions): EC2Client =>
  new EC2Client({ region: options.region, maxAttempts: options.maxAttempts, retryMode: 'standard' });

export const rdsClient = (options: AwsClientOptions): RDSClient =>
  new RDSClient({ region: options.region, maxAttempts: options.maxAttempts, retryMode: 'standard' });
