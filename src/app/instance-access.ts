/**
 * The network side of an instance, chosen by its kind: an RDS instance keeps its allowlist in its
 * VPC security groups (EC2) and is described by RDS; the local instance keeps a rehearsal
 * allowlist in `.platon/allowlist.json` and has nothing to discover. Credentials for AWS come
 * from the SDK's default chain only.
 */
import { join } from 'node:path';
import type { Allowlist, AllowlistTarget } from '../model/allowlist.js';
import type { DesiredState } from '../model/desired.js';
import type { RdsExpectations, RdsFacts } from '../model/rds.js';
import type { InstanceSpec } from '../model/spec.js';
import type { LiveState } from '../model/state.js';
import type { Endpoint } from '../apply/secrets.js';
import { FileAllowlist } from '../adapters/local/file-allowlist.js';
import { loadCatalogs } from '../load/catalogs.js';
import { UserError } from '../model/user-error.js';
import type { TargetOptions } from './instance-target.js';

/** The group id of the local instance's rehearsal allowlist, which has no AWS groups. */
export const LOCAL_GROUP = 'sg-local';

export interface InstanceAccess {
  readonly allowlist: Allowlist;
  readonly target: AllowlistTarget;
  /** RDS instances only: what the plan re-checks, and what RDS reported when the session opened. */
  readonly rds?: { readonly expected: RdsExpectations; readonly facts: RdsFacts };
}

export async function connectAccess(instance: InstanceSpec, options: TargetOptions): Promise<InstanceAccess> {
  const target = allowlistTarget(instance);
  if (instance.kind === 'local') {
    const path = join(options.root, '.platon', 'allowlist.json');
    return { target, allowlist: new FileAllowlist({ path, groupIds: target.groupIds, rulesPerGroup: target.rulesPerGroup }) };
  }
  const aws = instance.aws;
  if (!aws) throw new UserError(`instance ${instance.name} is an RDS instance without an aws section`, { hint: `add aws.region, aws.dbInstanceIdentifier and aws.allowlistSecurityGroupIds to ${instance.file}` });
  // Loaded only here: the EC2 client alone takes half a second to import, which validate and the
  // local instance should not pay.
  const [{ ec2Client, rdsClient }, { Ec2Allowlist }, { RdsDiscovery }] = await Promise.all([
    import('../adapters/aws/clients.js'),
    import('../adapters/aws/ec2-allowlist.js'),
    import('../adapters/aws/rds-discovery.js'),
  ]);
  const clientOptions = { region: aws.region, maxAttempts: maxAttempts(options.env) };
  const discovery = new RdsDiscovery(rdsClient(clientOptions), { identifier: aws.dbInstanceIdentifier, region: aws.region });
  const facts = await viaAws(() => discovery.discover());
  const allowlist = new Ec2Allowlist(ec2Client(clientOptions), { groupIds: aws.allowlistSecurityGroupIds, region: aws.region });
  return { target, allowlist: withUserErrors(allowlist), rds: { expected: rdsExpectations(instance), facts } };
}

export function allowlistTarget(instance: InstanceSpec): AllowlistTarget {
  return {
    instanceFile: instance.file,
    groupIds: instance.aws?.allowlistSecurityGroupIds ?? [LOCAL_GROUP],
    port: instance.connection.port,
    rulesPerGroup: instance.limits.rulesPerSecurityGroup,
    baseline: instance.baselineNetworks,
  };
}

function rdsExpectations(instance: InstanceSpec): RdsExpectations {
  const catalog = loadCatalogs().get(instance.postgresMajor);
  return {
    instanceFile: instance.file,
    postgresMajor: instance.postgresMajor,
    connection: { host: instance.connection.host, port: instance.connection.port },
    allowlistGroupIds: instance.aws?.allowlistSecurityGroupIds ?? [],
    preloadLibraries: instance.preloadLibraries,
    needsPreload: catalog ? [...catalog.extensions.values()].filter((e) => e.preload).map((e) => e.name) : [],
  };
}

/** What the plan needs from the allowlist and RDS, added to the desired and live states. */
export async function observeAccess(access: InstanceAccess, desired: DesiredState, live: LiveState) {
  const rules = await access.allowlist.list();
  return {
    desired: { ...desired, allowlist: access.target, ...(access.rds ? { rds: access.rds.expected } : {}) },
    live: { ...live, allowlist: rules, ...(access.rds ? { rds: access.rds.facts } : {}) },
  };
}

/** Where teams connect: the endpoint RDS reports, else what the session found. */
export const teamEndpoint = (access: InstanceAccess, fallback: Endpoint): Endpoint => access.rds?.facts.endpoint ?? fallback;

/** AWS_MAX_ATTEMPTS, as the AWS CLI reads it; 5 when unset. */
function maxAttempts(env: TargetOptions['env']): number {
  const n = Number(env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(n) && n >= 1 ? n : 5;
}

/** An AWS failure is one line for the person at the terminal, with what to do about it. */
async function viaAws<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const { AwsError } = await import('../adapters/aws/errors.js');
    if (error instanceof AwsError) throw new UserError(error.message, { ...(error.hint ? { hint: error.hint } : {}), cause: error });
    throw error;
  }
}

/** Listing fails like discovery; the changes keep their AwsError, which apply reports per change. */
function withUserErrors(allowlist: Allowlist): Allowlist {
  return {
    list: () => viaAws(() => allowlist.list()),
    authorize: (rule) => allowlist.authorize(rule),
    revoke: (rule) => allowlist.revoke(rule),
    setDescription: (rule) => allowlist.setDescription(rule),
  };
}
