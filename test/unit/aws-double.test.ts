/**
 * The AWS double (test/support/aws-double.ts) refuses what AWS refuses, with AWS's own error codes,
 * so the tests that run the CLI against it exercise the failure paths real AWS takes. Everything
 * here goes through the REAL SDK clients (signing, query-protocol serialisation, XML error
 * parsing), pointed at the double with fake static credentials. Each test names the AWS rule it
 * models; sources: EC2 API reference (AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress,
 * ModifySecurityGroupRules, DescribeSecurityGroupRules, "Error codes for the Amazon EC2 API"),
 * VPC quotas ("Inbound or outbound rules per security group: 60", IPv4 and IPv6 counted apart),
 * RDS API reference (DescribeDBInstances: DBInstanceNotFound, HTTP 404).
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  ModifySecurityGroupRulesCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { DescribeDBInstancesCommand, DescribeDBParametersCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ec2Allowlist } from '../../src/adapters/aws/ec2-allowlist.js';
import { AwsError } from '../../src/adapters/aws/errors.js';
import { RdsDiscovery } from '../../src/adapters/aws/rds-discovery.js';
import { AwsDouble } from '../support/aws-double.js';

const GROUP = 'sg-0123456789abcdef0';
const OTHER = 'sg-0fedcba9876543210';
const MISSING = 'sg-00000000000000bad';
const region = 'eu-north-1';
const credentials = { accessKeyId: 'AKIAEXAMPLEDOUBLE', secretAccessKey: 'double-secret' };

let aws: AwsDouble;
let ec2: EC2Client;
let rds: RDSClient;

beforeAll(async () => {
  aws = await AwsDouble.start({ identifier: 'shared-pg15', host: '127.0.0.1', port: 5432, groupId: GROUP }, { groupIds: [OTHER] });
  ec2 = new EC2Client({ region, credentials, endpoint: aws.url, maxAttempts: 1 });
  rds = new RDSClient({ region, credentials, endpoint: aws.url, maxAttempts: 1 });
});
afterAll(async () => {
  ec2.destroy();
  rds.destroy();
  await aws.stop();
});
beforeEach(() => {
  aws.rules.length = 0;
  aws.fault = undefined;
});

const tcp = (cidr: string, from = 5432, to = from, description = 'platon-db: shop'): IpPermission =>
  cidr.includes(':')
    ? { IpProtocol: 'tcp', FromPort: from, ToPort: to, Ipv6Ranges: [{ CidrIpv6: cidr, Description: description }] }
    : { IpProtocol: 'tcp', FromPort: from, ToPort: to, IpRanges: [{ CidrIp: cidr, Description: description }] };

const authorize = (permission: IpPermission, GroupId = GROUP) => ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [permission] }));

/** The SDK error a call fails with: its name (AWS's code), HTTP status and message. */
async function failure(call: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

async function inbound(GroupId = GROUP) {
  const out = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId] }] }));
  return (out.SecurityGroupRules ?? []).filter((r) => !r.IsEgress);
}

describe('AuthorizeSecurityGroupIngress', () => {
  it('adds the rule and answers it with its sgr- id, group, protocol, both ports and description', async () => {
    const out = await authorize(tcp('198.51.100.0/24'));
    expect(out.Return).toBe(true);
    expect(out.SecurityGroupRules).toEqual([
      expect.objectContaining({ SecurityGroupRuleId: expect.stringMatching(/^sgr-[0-9a-f]{17}$/), GroupId: GROUP, IsEgress: false, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: '198.51.100.0/24', Description: 'platon-db: shop' }),
    ]);
  });

  it('AWS: a rule keeps FromPort and ToPort; 5432-65535 reads back as that range, not as 5432', async () => {
    await authorize(tcp('198.51.100.0/24', 5432, 65535));
    expect(await inbound()).toEqual([expect.objectContaining({ FromPort: 5432, ToPort: 65535, CidrIpv4: '198.51.100.0/24' })]);
  });

  it('AWS: IPv6 ranges (Ipv6Ranges/CidrIpv6) become rules with CidrIpv6', async () => {
    await authorize(tcp('2001:db8::/48'));
    expect(await inbound()).toEqual([expect.objectContaining({ CidrIpv6: '2001:db8::/48', FromPort: 5432, ToPort: 5432 })]);
    expect((await inbound())[0]!.CidrIpv4).toBeUndefined();
  });

  it('AWS: the same protocol, ports and CIDR again is InvalidPermission.Duplicate (HTTP 400), whatever the description', async () => {
    await authorize(tcp('198.51.100.0/24'));
    const again = await failure(authorize(tcp('198.51.100.0/24', 5432, 5432, 'platon-db: other')));
    expect(again).toMatchObject({ name: 'InvalidPermission.Duplicate', status: 400 });
    expect(again.message).toContain('already exists');
    // Another port or another network is another rule.
    await authorize(tcp('198.51.100.0/24', 5433));
    await authorize(tcp('203.0.113.0/24'));
    expect(await inbound()).toHaveLength(3);
  });

  it('AWS: a request is all or nothing; one duplicate range and none of its ranges are added', async () => {
    await authorize(tcp('198.51.100.0/24'));
    const both = { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '203.0.113.0/24' }, { CidrIp: '198.51.100.0/24' }] };
    expect((await failure(authorize(both))).name).toBe('InvalidPermission.Duplicate');
    expect((await inbound()).map((r) => r.CidrIpv4)).toEqual(['198.51.100.0/24']);
  });

  it('AWS: up to 60 inbound rules per security group; the 61st is RulesPerSecurityGroupLimitExceeded', async () => {
    for (let i = 0; i < 60; i++) await authorize(tcp(`10.0.${i}.0/24`));
    const over = await failure(authorize(tcp('10.1.0.0/24')));
    expect(over).toMatchObject({ name: 'RulesPerSecurityGroupLimitExceeded', status: 400 });
    expect(await inbound()).toHaveLength(60);
    // The quota is per group: another group still takes rules.
    await authorize(tcp('10.1.0.0/24'), OTHER);
  });

  it('AWS: the 60-rule quota counts IPv6 rules apart from IPv4 rules (60 of each)', async () => {
    for (let i = 0; i < 60; i++) await authorize(tcp(`10.0.${i}.0/24`));
    for (let i = 0; i < 60; i++) await authorize(tcp(`2001:db8:${i.toString(16)}::/48`));
    expect(await inbound()).toHaveLength(120);
    expect((await failure(authorize(tcp('2001:db8:ffff::/48')))).name).toBe('RulesPerSecurityGroupLimitExceeded');
    expect((await failure(authorize(tcp('10.1.0.0/24')))).name).toBe('RulesPerSecurityGroupLimitExceeded');
  });

  it('AWS: a description is up to 255 characters; 256 is InvalidParameterValue', async () => {
    await authorize(tcp('198.51.100.0/24', 5432, 5432, 'x'.repeat(255)));
    expect(await failure(authorize(tcp('203.0.113.0/24', 5432, 5432, 'x'.repeat(256))))).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(await inbound()).toHaveLength(1);
  });

  it('AWS: a description takes only a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$*; anything else is InvalidParameterValue', async () => {
    await authorize(tcp('198.51.100.0/24', 5432, 5432, 'platon-db: a-Z 0_9 ._-:/()#,@[]+=&;{}!$*'));
    for (const bad of ['platon-db: café', 'platon-db: "quoted"', 'tab\there', 'platon-db: a|b', "it's", 'a<b>', 'line\nbreak', 'percent%', 'tilde~', 'question?']) {
      expect((await failure(authorize(tcp('203.0.113.0/24', 5432, 5432, bad)))).name, bad).toBe('InvalidParameterValue');
    }
    expect(await inbound()).toHaveLength(1);
    // What was allowed comes back unchanged (the XML escaping of & and friends round-trips).
    expect((await inbound())[0]!.Description).toBe('platon-db: a-Z 0_9 ._-:/()#,@[]+=&;{}!$*');
  });

  it('AWS: an unknown security group is InvalidGroup.NotFound; a malformed id is InvalidGroupId.Malformed', async () => {
    expect(await failure(authorize(tcp('198.51.100.0/24'), MISSING))).toMatchObject({ name: 'InvalidGroup.NotFound', status: 400 });
    expect((await failure(authorize(tcp('198.51.100.0/24'), 'sg-nothex'))).name).toBe('InvalidGroupId.Malformed');
    expect(aws.rules).toHaveLength(0);
  });

  it('AWS: a malformed CIDR or a port range with FromPort > ToPort is InvalidParameterValue', async () => {
    expect((await failure(authorize(tcp('300.0.0.0/24')))).name).toBe('InvalidParameterValue');
    expect((await failure(authorize(tcp('198.51.100.0/24', 6000, 5432)))).name).toBe('InvalidParameterValue');
    expect((await failure(authorize(tcp('198.51.100.0/24', 5432, 70000)))).name).toBe('InvalidParameterValue');
  });
});

describe('RevokeSecurityGroupIngress by SecurityGroupRuleIds', () => {
  const revoke = (ids: string[], GroupId = GROUP) => ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, SecurityGroupRuleIds: ids }));

  it('removes exactly the rule named', async () => {
    const [a] = (await authorize(tcp('198.51.100.0/24'))).SecurityGroupRules!;
    await authorize(tcp('203.0.113.0/24'));
    expect((await revoke([a!.SecurityGroupRuleId!])).Return).toBe(true);
    expect((await inbound()).map((r) => r.CidrIpv4)).toEqual(['203.0.113.0/24']);
  });

  it('AWS: an unknown rule id is InvalidSecurityGroupRuleId.NotFound and nothing is revoked', async () => {
    const [a] = (await authorize(tcp('198.51.100.0/24'))).SecurityGroupRules!;
    await authorize(tcp('203.0.113.0/24'));
    expect(await failure(revoke(['sgr-0000000000000dead']))).toMatchObject({ name: 'InvalidSecurityGroupRuleId.NotFound', status: 400 });
    // Not even the known id sent along with an unknown one: the request is refused whole.
    expect((await failure(revoke([a!.SecurityGroupRuleId!, 'sgr-0000000000000dead']))).name).toBe('InvalidSecurityGroupRuleId.NotFound');
    expect(await inbound()).toHaveLength(2);
  });

  it("AWS: a rule id of another group is not found in this group; that group's rule stays", async () => {
    const [other] = (await authorize(tcp('198.51.100.0/24'), OTHER)).SecurityGroupRules!;
    expect((await failure(revoke([other!.SecurityGroupRuleId!], GROUP))).name).toBe('InvalidSecurityGroupRuleId.NotFound');
    expect(await inbound(OTHER)).toHaveLength(1);
  });

  it('AWS: an unknown group is InvalidGroup.NotFound', async () => {
    expect((await failure(revoke(['sgr-0000000000000dead'], MISSING))).name).toBe('InvalidGroup.NotFound');
  });
});

describe('DescribeSecurityGroupRules', () => {
  it("AWS: the group-id filter selects that group's rules, and every group has its default egress rule", async () => {
    await authorize(tcp('198.51.100.0/24'));
    await authorize(tcp('203.0.113.0/24'), OTHER);
    const out = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [OTHER] }] }));
    expect(out.SecurityGroupRules!.map((r) => [r.GroupId, r.IsEgress, r.CidrIpv4])).toEqual([
      [OTHER, false, '203.0.113.0/24'],
      [OTHER, true, '0.0.0.0/0'],
    ]);
  });

  it('AWS: the security-group-rule-id filter and SecurityGroupRuleIds select single rules; an unknown id in SecurityGroupRuleIds is InvalidSecurityGroupRuleId.NotFound', async () => {
    await authorize(tcp('198.51.100.0/24'));
    const [b] = (await authorize(tcp('203.0.113.0/24'))).SecurityGroupRules!;
    const id = b!.SecurityGroupRuleId!;
    const filtered = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'security-group-rule-id', Values: [id] }] }));
    expect(filtered.SecurityGroupRules!.map((r) => r.CidrIpv4)).toEqual(['203.0.113.0/24']);
    const byId = await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }));
    expect(byId.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId)).toEqual([id]);
    // A filter that matches nothing is an empty answer, not an error.
    const none = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'security-group-rule-id', Values: ['sgr-0000000000000dead'] }] }));
    expect(none.SecurityGroupRules).toEqual([]);
    expect((await failure(ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['sgr-0000000000000dead'] })))).name).toBe('InvalidSecurityGroupRuleId.NotFound');
  });

  it('AWS: an unsupported filter name is InvalidParameterValue', async () => {
    expect((await failure(ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'cidr', Values: ['x'] }] })))).name).toBe('InvalidParameterValue');
  });

  it('AWS: MaxResults (5 to 1000) pages the answer; NextToken continues it, and the last page has none', async () => {
    for (let i = 0; i < 12; i++) await authorize(tcp(`10.0.${i}.0/24`));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GROUP] }], MaxResults: 5, ...(token ? { NextToken: token } : {}) }));
      expect(page.SecurityGroupRules!.length).toBeLessThanOrEqual(5);
      seen.push(...page.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3); // 12 inbound rules + the default egress rule
    expect(new Set(seen).size).toBe(13);
    expect((await failure(ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 4 })))).name).toBe('InvalidParameterValue');
    expect((await failure(ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 1001 })))).name).toBe('InvalidParameterValue');
    expect((await failure(ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 5, NextToken: 'not-a-token' })))).name).toBe('InvalidPaginationToken');
  });
});

describe('ModifySecurityGroupRules', () => {
  const modify = (id: string, description: string, GroupId = GROUP, cidr = '198.51.100.0/24') =>
    ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId,
        SecurityGroupRules: [{ SecurityGroupRuleId: id, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: cidr, Description: description } }],
      }),
    );

  it('replaces the rule: the new description is read back', async () => {
    const [a] = (await authorize(tcp('198.51.100.0/24'))).SecurityGroupRules!;
    expect((await modify(a!.SecurityGroupRuleId!, 'platon-db: renamed')).Return).toBe(true);
    expect((await inbound())[0]).toMatchObject({ SecurityGroupRuleId: a!.SecurityGroupRuleId, Description: 'platon-db: renamed', CidrIpv4: '198.51.100.0/24' });
  });

  it('AWS: an unknown rule id is InvalidSecurityGroupRuleId.NotFound; an unknown group is InvalidGroup.NotFound', async () => {
    await authorize(tcp('198.51.100.0/24'));
    expect(await failure(modify('sgr-0000000000000dead', 'platon-db: x'))).toMatchObject({ name: 'InvalidSecurityGroupRuleId.NotFound', status: 400 });
    expect((await failure(modify('sgr-0000000000000dead', 'platon-db: x', MISSING))).name).toBe('InvalidGroup.NotFound');
    expect((await inbound())[0]!.Description).toBe('platon-db: shop');
  });

  it('AWS: the description rules of AuthorizeSecurityGroupIngress hold (255 characters, the allowed set); the rule is unchanged', async () => {
    const [a] = (await authorize(tcp('198.51.100.0/24'))).SecurityGroupRules!;
    expect((await failure(modify(a!.SecurityGroupRuleId!, 'x'.repeat(256)))).name).toBe('InvalidParameterValue');
    expect((await failure(modify(a!.SecurityGroupRuleId!, 'platon-db: naïve'))).name).toBe('InvalidParameterValue');
    expect((await inbound())[0]!.Description).toBe('platon-db: shop');
  });

  it('AWS: turning a rule into a copy of another rule of the group is InvalidPermission.Duplicate', async () => {
    await authorize(tcp('198.51.100.0/24'));
    const [b] = (await authorize(tcp('203.0.113.0/24'))).SecurityGroupRules!;
    expect((await failure(modify(b!.SecurityGroupRuleId!, 'platon-db: x', GROUP, '198.51.100.0/24'))).name).toBe('InvalidPermission.Duplicate');
  });
});

describe('RDS DescribeDBInstances and DescribeDBParameters', () => {
  it('answers the instance asked for by DBInstanceIdentifier', async () => {
    const out = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'shared-pg15' }));
    expect(out.DBInstances!.map((d) => [d.DBInstanceIdentifier, d.Engine, d.VpcSecurityGroups![0]!.VpcSecurityGroupId])).toEqual([['shared-pg15', 'postgres', GROUP]]);
  });

  it('AWS: an unknown DBInstanceIdentifier is DBInstanceNotFound, HTTP 404 (the SDK names it DBInstanceNotFoundFault)', async () => {
    const missing = await failure(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' })));
    expect(missing.status).toBe(404);
    expect(['DBInstanceNotFound', 'DBInstanceNotFoundFault']).toContain(missing.name);
    expect(missing.message).toBe('DBInstance nope not found.');
  });

  it('AWS: an unknown DBParameterGroupName is DBParameterGroupNotFound, HTTP 404', async () => {
    const missing = await failure(rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: 'nope' })));
    expect(missing.status).toBe(404);
    expect(['DBParameterGroupNotFound', 'DBParameterGroupNotFoundFault']).toContain(missing.name);
  });
});

describe('the adapters against the double', () => {
  const allowlist = () => new Ec2Allowlist(ec2, { groupIds: [GROUP], region });
  const rule = { groupId: GROUP, cidr: '198.51.100.0/24', port: 5432, description: 'platon-db: shop' };

  it('authorize is idempotent (InvalidPermission.Duplicate counts as added); list leaves out the egress rule', async () => {
    await allowlist().authorize(rule);
    await allowlist().authorize(rule);
    expect(await allowlist().list()).toEqual([expect.objectContaining({ groupId: GROUP, cidr: '198.51.100.0/24', protocol: 'tcp', fromPort: 5432, toPort: 5432, description: 'platon-db: shop' })]);
  });

  it('revoke of a rule already gone is a no-op and deletes no other rule', async () => {
    await allowlist().authorize(rule);
    await allowlist().revoke({ groupId: GROUP, ruleId: 'sgr-0000000000000dead' });
    expect(await allowlist().list()).toHaveLength(1);
  });

  it('the quota and a missing group are one clear AwsError each', async () => {
    const full = await AwsDouble.start({ identifier: 'x', host: '127.0.0.1', port: 5432, groupId: GROUP }, { rulesPerGroup: 1 });
    const client = new EC2Client({ region, credentials, endpoint: full.url, maxAttempts: 1 });
    try {
      const adapter = new Ec2Allowlist(client, { groupIds: [GROUP], region });
      await adapter.authorize(rule);
      await expect(adapter.authorize({ ...rule, cidr: '203.0.113.0/24' })).rejects.toMatchObject({ code: 'aws.quota' });
      await expect(adapter.authorize({ ...rule, groupId: MISSING })).rejects.toBeInstanceOf(AwsError);
      await expect(adapter.authorize({ ...rule, groupId: MISSING })).rejects.toMatchObject({ code: 'aws.not-found' });
    } finally {
      client.destroy();
      await full.stop();
    }
  });

  it('RDS discovery of an unknown identifier is aws.not-found', async () => {
    await expect(new RdsDiscovery(rds, { identifier: 'nope', region }).discover()).rejects.toMatchObject({ code: 'aws.not-found' });
  });
});
