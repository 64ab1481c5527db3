/** Which allowlist and discovery an instance gets, and how AWS failures reach the person running it. */
import { DescribeSecurityGroupRulesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeDBInstancesCommand, DescribeDBParametersCommand, RDSClient, RDSServiceException } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { connectAccess, observeAccess, teamEndpoint } from '../../src/app/instance-access.js';
import { FileAllowlist } from '../../src/adapters/local/file-allowlist.js';
import { UserError } from '../../src/model/user-error.js';
import type { InstanceSpec } from '../../src/model/spec.js';
import { desired, liveState } from '../support/states.js';

// Class-level mocks: connectAccess builds its own clients.
const ec2 = mockClient(EC2Client);
const rds = mockClient(RDSClient);
afterAll(() => {
  ec2.restore();
  rds.restore();
});
beforeEach(() => {
  ec2.reset();
  rds.reset();
});

const instance = (kind: 'rds' | 'local'): InstanceSpec => ({
  name: kind === 'rds' ? 'shared-pg15' : 'local',
  file: `instances/${kind === 'rds' ? 'shared-pg15' : 'local'}.yaml`,
  default: kind === 'rds',
  kind,
  postgresMajor: 15,
  connection: { host: 'file-says.example.org', port: 5432, adminUser: 'platon_admin', adminDatabase: 'postgres' },
  ...(kind === 'rds' ? { aws: { region: 'eu-north-1', dbInstanceIdentifier: 'shared-pg15', allowlistSecurityGroupIds: ['sg-a'] } } : {}),
  baselineNetworks: [{ cidr: '198.51.100.0/24', description: 'Office' }],
  externalNetworkPolicy: { minIpv4PrefixLength: 16, minIpv6PrefixLength: 48 },
  limits: { backupRetentionDays: 30, defaultConnectionLimit: 20, maxConnectionLimit: 100, rulesPerSecurityGroup: 60 },
  secrets: { store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' },
  preloadLibraries: ['pg_stat_statements'],
});
const options = async () => ({ root: await mkdtemp(join(tmpdir(), 'platon-db-access-')), env: {}, log: () => undefined });

describe('the allowlist and discovery an instance gets', () => {
  it('local: a file allowlist in .platon, nothing to discover', async () => {
    const opts = await options();
    const access = await connectAccess(instance('local'), opts);
    expect(access.allowlist).toBeInstanceOf(FileAllowlist);
    expect(access.target).toEqual({ instanceFile: 'instances/local.yaml', groupIds: ['sg-local'], port: 5432, rulesPerGroup: 60, baseline: [{ cidr: '198.51.100.0/24', description: 'Office' }] });
    expect(access.rds).toBeUndefined();
    expect(teamEndpoint(access, { host: '127.0.0.1', port: 5432 })).toEqual({ host: '127.0.0.1', port: 5432 });
    expect(ec2.calls().length + rds.calls().length).toBe(0);
  });

  it('rds: EC2 allowlist, RDS discovery, and the endpoint RDS reports for credentials', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          Engine: 'postgres',
          EngineVersion: '15.8',
          Endpoint: { Address: 'shared-pg15.abc.eu-north-1.rds.amazonaws.com', Port: 5432 },
          VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-a', Status: 'active' }],
          PubliclyAccessible: false,
          DBParameterGroups: [{ DBParameterGroupName: 'pg15', ParameterApplyStatus: 'in-sync' }],
        },
      ],
    });
    rds.on(DescribeDBParametersCommand).resolves({ Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1' }] });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [{ GroupId: 'sg-a', SecurityGroupRuleId: 'sgr-1', IsEgress: false, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: '198.51.100.0/24', Description: 'platon-db: baseline Office' }],
    });
    const access = await connectAccess(instance('rds'), await options());
    expect(teamEndpoint(access, { host: 'file-says.example.org', port: 5432 })).toEqual({ host: 'shared-pg15.abc.eu-north-1.rds.amazonaws.com', port: 5432 });

    const observed = await observeAccess(access, desired(), liveState({}));
    expect(observed.desired.allowlist?.groupIds).toEqual(['sg-a']);
    expect(observed.desired.rds).toMatchObject({ postgresMajor: 15, allowlistGroupIds: ['sg-a'], preloadLibraries: ['pg_stat_statements'] });
    expect(observed.desired.rds?.needsPreload).toContain('pg_cron');
    expect(observed.live.allowlist).toEqual([
      { groupId: 'sg-a', ruleId: 'sgr-1', cidr: '198.51.100.0/24', protocol: 'tcp', fromPort: 5432, toPort: 5432, description: 'platon-db: baseline Office' },
    ]);
    expect(observed.live.rds?.parameters).toEqual({ forceSsl: '1' });
  });

  it.each([
    [
      'missing credentials',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      /^no AWS credentials for rds:DescribeDBInstances/,
      /aws-actions\/configure-aws-credentials/,
    ],
    [
      'a missing permission',
      new RDSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'not authorized' }),
      /^AWS denied rds:DescribeDBInstances on RDS instance shared-pg15$/,
      /needs rds:DescribeDBInstances/,
    ],
  ])('rds: %s is one clear line with a hint', async (_name, error, message, hint) => {
    rds.on(DescribeDBInstancesCommand).rejects(error);
    const failure = await connectAccess(instance('rds'), await options()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(message);
    expect((failure as UserError).options.hint).toMatch(hint);
  });

  it('rds: refuses an instance file without its aws section', async () => {
    const { aws: _aws, ...bare } = instance('rds');
    await expect(connectAccess(bare, await options())).rejects.toThrow('instance shared-pg15 is an RDS instance without an aws section');
  });
});
