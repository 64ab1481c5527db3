/**
 * The real EC2 allowlist against aws-sdk-client-mock: the exact commands and inputs it sends, and
 * one clear line for each failure. One test runs the real SDK retry loop over a fake HTTP handler.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  EC2ServiceException,
  ModifySecurityGroupRulesCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ec2Allowlist } from '../../src/adapters/aws/ec2-allowlist.js';
import { AwsError } from '../../src/adapters/aws/errors.js';

// Only this client is mocked: the retry tests below run other clients through the real SDK.
const client = new EC2Client({ region: 'eu-north-1' });
const ec2 = mockClient(client);
const options = { groupIds: ['sg-a', 'sg-b'], region: 'eu-north-1' };
const allowlist = () => new Ec2Allowlist(client, options);

const sdkError = (name: string, message = `${name} happened`, attempts = 1) =>
  new EC2ServiceException({ name, $fault: 'client', $metadata: { attempts }, message });

beforeEach(() => ec2.reset());
afterEach(() => ec2.reset());

describe('EC2 allowlist: list', () => {
  it('reads the inbound rules of the listed groups page by page, canonical CIDRs, egress left out', async () => {
    const filters = { Filters: [{ Name: 'group-id', Values: ['sg-a', 'sg-b'] }], MaxResults: 1000 };
    ec2
      .on(DescribeSecurityGroupRulesCommand, filters, true)
      .resolves({
        NextToken: 'page-2',
        SecurityGroupRules: [
          { GroupId: 'sg-a', SecurityGroupRuleId: 'sgr-1', IsEgress: false, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: '192.0.2.0/28', Description: 'platon-db: shop' },
          { GroupId: 'sg-a', SecurityGroupRuleId: 'sgr-2', IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '0.0.0.0/0' },
        ],
      })
      .on(DescribeSecurityGroupRulesCommand, { ...filters, NextToken: 'page-2' }, true)
      .resolves({
        SecurityGroupRules: [
          { GroupId: 'sg-b', SecurityGroupRuleId: 'sgr-3', IsEgress: false, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv6: '2001:DB8:0:0::/48' },
          { GroupId: 'sg-b', SecurityGroupRuleId: 'sgr-4', IsEgress: false, IpProtocol: '-1', ReferencedGroupInfo: { GroupId: 'sg-app' }, Description: 'app servers' },
        ],
      });
    expect(await allowlist().list()).toEqual([
      { groupId: 'sg-a', ruleId: 'sgr-1', cidr: '192.0.2.0/28', protocol: 'tcp', fromPort: 5432, toPort: 5432, description: 'platon-db: shop' },
      { groupId: 'sg-b', ruleId: 'sgr-3', cidr: '2001:db8::/48', protocol: 'tcp', fromPort: 5432, toPort: 5432, description: '' },
      { groupId: 'sg-b', ruleId: 'sgr-4', protocol: '-1', fromPort: -1, toPort: -1, description: 'app servers' },
    ]);
    expect(ec2.commandCalls(DescribeSecurityGroupRulesCommand).map((c) => c.args[0].input)).toEqual([filters, { ...filters, NextToken: 'page-2' }]);
  });

  it('keeps both ends of a port range, so a rule widened by hand reads as widened', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        { GroupId: 'sg-a', SecurityGroupRuleId: 'sgr-w', IsEgress: false, IpProtocol: 'tcp', FromPort: 5432, ToPort: 6000, CidrIpv4: '192.0.2.0/28', Description: 'platon-db: shop' },
      ],
    });
    expect(await allowlist().list()).toEqual([
      { groupId: 'sg-a', ruleId: 'sgr-w', cidr: '192.0.2.0/28', protocol: 'tcp', fromPort: 5432, toPort: 6000, description: 'platon-db: shop' },
    ]);
  });

  it('asks nothing when the instance lists no groups', async () => {
    expect(await new Ec2Allowlist(client, { ...options, groupIds: [] }).list()).toEqual([]);
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('EC2 allowlist: changes', () => {
  it('authorizes an IPv4 network with its description', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    await allowlist().authorize({ groupId: 'sg-a', cidr: '192.0.2.0/28', port: 5432, description: 'platon-db: shop, wiki' });
    expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([
      {
        GroupId: 'sg-a',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '192.0.2.0/28', Description: 'platon-db: shop, wiki' }] }],
      },
    ]);
  });

  it('authorizes an IPv6 network as an Ipv6Range', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    await allowlist().authorize({ groupId: 'sg-b', cidr: '2001:db8::/48', port: 5433, description: 'platon-db: baseline VPN' });
    expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({
      GroupId: 'sg-b',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5433, ToPort: 5433, Ipv6Ranges: [{ CidrIpv6: '2001:db8::/48', Description: 'platon-db: baseline VPN' }] }],
    });
  });

  it('treats a duplicate rule as already present', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(sdkError('InvalidPermission.Duplicate', 'the specified rule already exists'));
    await expect(allowlist().authorize({ groupId: 'sg-a', cidr: '192.0.2.0/28', port: 5432, description: 'platon-db: shop' })).resolves.toBeUndefined();
  });

  it('revokes by rule id, and a rule already gone counts as revoked', async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).resolvesOnce({ Return: true }).rejectsOnce(sdkError('InvalidSecurityGroupRuleId.NotFound'));
    await allowlist().revoke({ groupId: 'sg-a', ruleId: 'sgr-1' });
    await allowlist().revoke({ groupId: 'sg-a', ruleId: 'sgr-1' });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([
      { GroupId: 'sg-a', SecurityGroupRuleIds: ['sgr-1'] },
      { GroupId: 'sg-a', SecurityGroupRuleIds: ['sgr-1'] },
    ]);
  });

  it('changes a description with the whole rule, as ModifySecurityGroupRules requires', async () => {
    ec2.on(ModifySecurityGroupRulesCommand).resolves({ Return: true });
    await allowlist().setDescription({ groupId: 'sg-a', ruleId: 'sgr-1', cidr: '2001:db8::/48', port: 5432, description: 'platon-db: shop, wiki' });
    expect(ec2.commandCalls(ModifySecurityGroupRulesCommand)[0]?.args[0].input).toEqual({
      GroupId: 'sg-a',
      SecurityGroupRules: [
        {
          SecurityGroupRuleId: 'sgr-1',
          SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv6: '2001:db8::/48', Description: 'platon-db: shop, wiki' },
        },
      ],
    });
  });
});

describe('EC2 allowlist: failures are one clear line', () => {
  const credentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
  it.each([
    [
      'missing credentials',
      credentials,
      'aws.no-credentials',
      'no AWS credentials for ec2:AuthorizeSecurityGroupIngress: the default credential chain (environment, profile, SSO, web identity, instance role) found none',
    ],
    [
      'access denied, naming the permission',
      sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: AbC123...'),
      'aws.access-denied',
      'AWS denied ec2:AuthorizeSecurityGroupIngress on security group sg-a',
    ],
    ['expired credentials', sdkError('RequestExpired'), 'aws.bad-credentials', 'AWS refused the credentials for ec2:AuthorizeSecurityGroupIngress (RequestExpired): they are invalid or expired'],
    [
      'throttling after the retries',
      sdkError('RequestLimitExceeded', 'Request limit exceeded.', 5),
      'aws.throttled',
      'AWS throttled ec2:AuthorizeSecurityGroupIngress on security group sg-a and still refused after 5 attempts',
    ],
    ['a missing group', sdkError('InvalidGroup.NotFound', "The security group 'sg-a' does not exist"), 'aws.not-found', 'security group sg-a does not exist in eu-north-1 (InvalidGroup.NotFound)'],
    ['a full group', sdkError('RulesPerSecurityGroupLimitExceeded'), 'aws.quota', 'security group sg-a is full: AWS refused another inbound rule (RulesPerSecurityGroupLimitExceeded)'],
    [
      'anything else',
      sdkError('InvalidParameterValue', 'Invalid rule description.\nCharacter sets beyond ASCII are not supported.'),
      'aws.failed',
      'ec2:AuthorizeSecurityGroupIngress on security group sg-a failed: InvalidParameterValue: Invalid rule description. Character sets beyond ASCII are not supported.',
    ],
  ])('%s', async (_name, error, code, message) => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(error);
    const failure = await allowlist()
      .authorize({ groupId: 'sg-a', cidr: '192.0.2.0/28', port: 5432, description: 'platon-db: shop' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AwsError);
    expect(failure).toMatchObject({ code, message });
    expect((failure as AwsError).message).not.toContain('\n');
  });

  it('names the permission of each call', async () => {
    const denied = sdkError('UnauthorizedOperation');
    ec2.on(DescribeSecurityGroupRulesCommand).rejects(denied).on(RevokeSecurityGroupIngressCommand).rejects(denied).on(ModifySecurityGroupRulesCommand).rejects(denied);
    const a = allowlist();
    const failures = await Promise.all([
      a.list().catch((e: AwsError) => e.hint),
      a.revoke({ groupId: 'sg-a', ruleId: 'sgr-1' }).catch((e: AwsError) => e.hint),
      a.setDescription({ groupId: 'sg-a', ruleId: 'sgr-1', cidr: '192.0.2.0/28', port: 5432, description: 'platon-db: x' }).catch((e: AwsError) => e.hint),
    ]);
    expect(failures).toEqual([
      `the applier's IAM role needs ec2:DescribeSecurityGroupRules (README: "AWS permissions")`,
      `the applier's IAM role needs ec2:RevokeSecurityGroupIngress (README: "AWS permissions")`,
      `the applier's IAM role needs ec2:ModifySecurityGroupRules (README: "AWS permissions")`,
    ]);
  });
});

describe('EC2 allowlist: throttling through the real SDK retry loop', () => {
  /** A client whose HTTP layer answers from `responses` in turn (no network, no mock of send). */
  function fakeHttp(responses: { status: number; body: string }[]) {
    const seen: string[] = [];
    const client = new EC2Client({
      region: 'eu-north-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
      maxAttempts: 3,
      retryMode: 'standard',
      requestHandler: {
        handle: async (request: { body?: unknown }) => {
          seen.push(String(request.body));
          const next = responses.shift() ?? { status: 500, body: '' };
          return { response: { statusCode: next.status, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(next.body)]) } };
        },
      },
    });
    return { client, seen };
  }
  const throttled = {
    status: 503,
    body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r1</RequestID></Response>',
  };
  const ok = {
    status: 200,
    body: '<RevokeSecurityGroupIngressResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r2</requestId><return>true</return></RevokeSecurityGroupIngressResponse>',
  };

  it('retries a throttled call and succeeds', async () => {
    const { client: real, seen } = fakeHttp([throttled, ok]);
    await new Ec2Allowlist(real, options).revoke({ groupId: 'sg-a', ruleId: 'sgr-1' });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toContain('Action=RevokeSecurityGroupIngress');
  });

  it('gives up after maxAttempts with one clear line', async () => {
    const { client: real, seen } = fakeHttp([throttled, throttled, throttled]);
    const failure = await new Ec2Allowlist(real, options).revoke({ groupId: 'sg-a', ruleId: 'sgr-1' }).catch((e: unknown) => e);
    expect(seen).toHaveLength(3);
    expect(failure).toMatchObject({ code: 'aws.throttled', message: 'AWS throttled ec2:RevokeSecurityGroupIngress on security group sg-a and still refused after 3 attempts' });
  });
});
