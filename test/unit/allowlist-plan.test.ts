/** Allowlist changes as planned: exact EC2 requests and lines, and their place in the apply order. */
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/diff/diff.js';
import type { Change } from '../../src/model/change.js';
import { toPlannedChange } from '../../src/sql/describe.js';
import { displayApiCall } from '../../src/render/display-api-call.js';
import { convergedState, desired, spec } from '../support/states.js';
import { rule, target } from '../support/allowlist.js';

const base = { database: '', groupId: 'sg-0a1', usedBy: ['shop', 'wiki'] } as const;

describe('allowlist changes', () => {
  it.each<[string, Change, string, string]>([
    [
      'authorize IPv4',
      { ...base, kind: 'authorize-ingress', cidr: '192.0.2.0/28', port: 5432, description: 'platon-db: shop, wiki' },
      'allow 192.0.2.0/28 to port 5432 of the whole instance, for shop, wiki',
      'ec2 AuthorizeSecurityGroupIngress GroupId=sg-0a1 IpPermissions=[{IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=192.0.2.0/28,Description="platon-db: shop, wiki"}]}]',
    ],
    [
      'authorize IPv6, baseline',
      { ...base, kind: 'authorize-ingress', cidr: '2001:db8::/48', usedBy: [], baseline: 'VPN', port: 5432, description: 'platon-db: baseline VPN' },
      'allow 2001:db8::/48 to port 5432 of the whole instance, for the baseline network "VPN"',
      'ec2 AuthorizeSecurityGroupIngress GroupId=sg-0a1 IpPermissions=[{IpProtocol=tcp,FromPort=5432,ToPort=5432,Ipv6Ranges=[{CidrIpv6=2001:db8::/48,Description="platon-db: baseline VPN"}]}]',
    ],
    [
      'update a description',
      { ...base, kind: 'update-ingress-description', cidr: '2001:db8::/48', ruleId: 'sgr-0b2', port: 5432, description: 'platon-db: shop, wiki', previous: 'platon-db: shop' },
      'update the rule for 2001:db8::/48: now for shop, wiki',
      'ec2 ModifySecurityGroupRules GroupId=sg-0a1 SecurityGroupRules=[{SecurityGroupRuleId=sgr-0b2,SecurityGroupRule={IpProtocol=tcp,FromPort=5432,ToPort=5432,CidrIpv6=2001:db8::/48,Description="platon-db: shop, wiki"}}]',
    ],
    [
      'revoke an unused network',
      { ...base, kind: 'revoke-ingress', cidr: '192.0.2.0/28', usedBy: [], ruleId: 'sgr-0b2', protocol: 'tcp', fromPort: 5432, toPort: 5432, description: 'platon-db: gone', reason: 'unused' },
      'revoke 192.0.2.0/28 (port 5432): no database or baseline lists it any more, so it can no longer reach the instance',
      'ec2 RevokeSecurityGroupIngress GroupId=sg-0a1 SecurityGroupRuleIds=[sgr-0b2]',
    ],
    [
      'revoke a rule on other ports',
      { ...base, kind: 'revoke-ingress', cidr: '192.0.2.0/28', ruleId: 'sgr-0b2', protocol: 'udp', fromPort: 5000, toPort: 6000, description: 'platon-db: shop', reason: 'other-port' },
      "revoke the rule for 192.0.2.0/28 on udp ports 5000-6000: platon-db rules open only the instance's port",
      'ec2 RevokeSecurityGroupIngress GroupId=sg-0a1 SecurityGroupRuleIds=[sgr-0b2]',
    ],
    [
      'revoke a duplicate',
      { ...base, kind: 'revoke-ingress', cidr: '192.0.2.0/28', ruleId: 'sgr-0b3', protocol: 'tcp', fromPort: 5432, toPort: 5432, description: 'platon-db: shop', reason: 'duplicate' },
      'revoke a second rule for 192.0.2.0/28 (sgr-0b3 in sg-0a1): one rule per network is enough',
      'ec2 RevokeSecurityGroupIngress GroupId=sg-0a1 SecurityGroupRuleIds=[sgr-0b3]',
    ],
  ])('%s', (_name, change, summary, call) => {
    const planned = toPlannedChange(change);
    expect(planned.summary).toBe(summary);
    expect(planned.statements).toEqual([]);
    expect(planned.placement).toEqual({ target: 'allowlist', groupId: 'sg-0a1', transactional: false });
    expect(displayApiCall(planned.apiCall!)).toBe(call);
  });

  it('sends the request shapes EC2 expects', () => {
    const planned = toPlannedChange({ ...base, kind: 'authorize-ingress', cidr: '192.0.2.0/28', port: 5432, description: 'platon-db: shop' });
    expect(planned.apiCall).toEqual({
      service: 'ec2',
      operation: 'AuthorizeSecurityGroupIngress',
      input: {
        GroupId: 'sg-0a1',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '192.0.2.0/28', Description: 'platon-db: shop' }] }],
      },
    });
  });
});

describe('allowlist changes in the plan', () => {
  it('adds access before anything else and removes it last', () => {
    const shop = spec('shop', { access: { external: [{ cidr: '192.0.2.0/28', description: 'partner' }] } });
    const plan = buildPlan(
      { ...desired(shop), allowlist: target() },
      { ...convergedState(), allowlist: [rule('192.0.2.64/28', 'platon-db: gone')] },
      { allowDestroy: false },
    );
    const kinds = plan.changes.map((c) => c.change.kind);
    expect(kinds[0]).toBe('authorize-ingress');
    expect(kinds.at(-1)).toBe('revoke-ingress');
    expect(kinds).toContain('create-database');
    expect(plan.changes[0]?.change.database).toBe('');
  });

  it('plans no allowlist change without both sides, and none when converged', () => {
    const shop = spec('shop', { access: { external: [{ cidr: '192.0.2.0/28', description: 'partner' }] } });
    expect(buildPlan(desired(shop), convergedState(shop), { allowDestroy: false }).changes).toEqual([]);
    const live = { ...convergedState(shop), allowlist: [rule('192.0.2.0/28', 'platon-db: shop')] };
    expect(buildPlan({ ...desired(shop), allowlist: target() }, live, { allowDestroy: false })).toMatchObject({ changes: [], notes: [], errors: [] });
  });
});
