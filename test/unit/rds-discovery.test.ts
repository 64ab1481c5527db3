/** RDS discovery against aws-sdk-client-mock: exact commands, paginated parameters, clear failures. */
import { DescribeDBInstancesCommand, DescribeDBParametersCommand, RDSClient, RDSServiceException } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RdsDiscovery } from '../../src/adapters/aws/rds-discovery.js';

const client = new RDSClient({ region: 'eu-north-1' });
const rds = mockClient(client);
const discovery = () => new RdsDiscovery(client, { identifier: 'shared-pg15', region: 'eu-north-1' });

const instance = {
  DBInstanceIdentifier: 'shared-pg15',
  Engine: 'postgres',
  EngineVersion: '15.8',
  Endpoint: { Address: 'shared-pg15.abc.eu-north-1.rds.amazonaws.com', Port: 5432 },
  VpcSecurityGroups: [
    { VpcSecurityGroupId: 'sg-default', Status: 'active' },
    { VpcSecurityGroupId: 'sg-a', Status: 'adding' },
  ],
  PubliclyAccessible: true,
  DBParameterGroups: [{ DBParameterGroupName: 'platon-pg15', ParameterApplyStatus: 'in-sync' }],
};
const parameter = (ParameterName: string, ParameterValue?: string) => ({ ParameterName, ...(ParameterValue === undefined ? {} : { ParameterValue }) });

beforeEach(() => rds.reset());

describe('RDS discovery', () => {
  it('describes the instance and reads its parameters over every page it needs', async () => {
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'shared-pg15' }, true).resolves({ DBInstances: [instance] });
    const first = { DBParameterGroupName: 'platon-pg15', MaxRecords: 100 };
    rds
      .on(DescribeDBParametersCommand, first, true)
      .resolves({ Marker: 'm2', Parameters: [parameter('autovacuum', 'on'), parameter('rds.force_ssl', '1')] })
      .on(DescribeDBParametersCommand, { ...first, Marker: 'm2' }, true)
      .resolves({ Marker: 'm3', Parameters: [parameter('shared_preload_libraries', 'pg_stat_statements, pg_cron'), parameter('rds.allowed_extensions', 'pg_trgm,uuid-ossp')] })
      .on(DescribeDBParametersCommand, { ...first, Marker: 'm3' }, true)
      .resolves({ Parameters: [parameter('work_mem', '4096')] });

    expect(await discovery().discover()).toEqual({
      identifier: 'shared-pg15',
      engine: 'postgres',
      engineVersion: '15.8',
      endpoint: { host: 'shared-pg15.abc.eu-north-1.rds.amazonaws.com', port: 5432 },
      securityGroups: [
        { id: 'sg-default', status: 'active' },
        { id: 'sg-a', status: 'adding' },
      ],
      publiclyAccessible: true,
      parameterGroup: { name: 'platon-pg15', applyStatus: 'in-sync' },
      parameters: { forceSsl: '1', sharedPreloadLibraries: ['pg_stat_statements', 'pg_cron'], allowedExtensions: ['pg_trgm', 'uuid-ossp'] },
    });
    // All three found on page two: page three is not read.
    expect(rds.commandCalls(DescribeDBParametersCommand).map((c) => c.args[0].input)).toEqual([first, { ...first, Marker: 'm2' }]);
    expect(rds.commandCalls(DescribeDBInstancesCommand).map((c) => c.args[0].input)).toEqual([{ DBInstanceIdentifier: 'shared-pg15' }]);
  });

  it('reads * as every extension, and leaves out parameters without a value', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance] });
    rds.on(DescribeDBParametersCommand).resolves({ Parameters: [parameter('rds.allowed_extensions', ' * '), parameter('rds.force_ssl'), parameter('shared_preload_libraries')] });
    expect((await discovery().discover()).parameters).toEqual({ allowedExtensions: '*' });
  });

  it('reads no parameters without a parameter group, and no endpoint while there is none', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ ...instance, Endpoint: undefined, DBParameterGroups: [] }] });
    const facts = await discovery().discover();
    expect(facts).not.toHaveProperty('endpoint');
    expect(facts).not.toHaveProperty('parameterGroup');
    expect(facts.parameters).toEqual({});
    expect(rds.commandCalls(DescribeDBParametersCommand)).toHaveLength(0);
  });

  it.each([
    [
      'access denied on the instance',
      DescribeDBInstancesCommand,
      new RDSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: rds:DescribeDBInstances' }),
      { code: 'aws.access-denied', message: 'AWS denied rds:DescribeDBInstances on RDS instance shared-pg15' },
    ],
    [
      'access denied on the parameters',
      DescribeDBParametersCommand,
      new RDSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'denied' }),
      { code: 'aws.access-denied', message: 'AWS denied rds:DescribeDBParameters on parameter group platon-pg15' },
    ],
    [
      'an unknown instance',
      DescribeDBInstancesCommand,
      new RDSServiceException({ name: 'DBInstanceNotFoundFault', $fault: 'client', $metadata: {}, message: 'DBInstance shared-pg15 not found.' }),
      { code: 'aws.not-found', message: 'RDS instance shared-pg15 does not exist in eu-north-1 (DBInstanceNotFoundFault)' },
    ],
    [
      'throttling',
      DescribeDBParametersCommand,
      new RDSServiceException({ name: 'Throttling', $fault: 'client', $metadata: { attempts: 5 }, message: 'Rate exceeded' }),
      { code: 'aws.throttled', message: 'AWS throttled rds:DescribeDBParameters on parameter group platon-pg15 and still refused after 5 attempts' },
    ],
  ] as const)('fails clearly on %s', async (_name, command, error, expected) => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance] });
    rds.on(command as typeof DescribeDBInstancesCommand).rejects(error);
    await expect(discovery().discover()).rejects.toMatchObject(expected);
  });

  it('says so when RDS returns no instance', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    await expect(discovery().discover()).rejects.toMatchObject({ code: 'aws.not-found', message: 'RDS reports no instance shared-pg15 in eu-north-1' });
  });
});
