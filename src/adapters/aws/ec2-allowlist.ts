/**
 * The allowlist on AWS: inbound rules of the instance's VPC security groups, through the EC2 API
 * (RDS DB security groups were EC2-Classic and are gone). Requests are built by src/sql/to-api-call.ts,
 * the same functions that write them into the plan.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  ModifySecurityGroupRulesCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import ipaddr from 'ipaddr.js';
import type { Allowlist, IngressRule, NetworkRule } from '../../model/allowlist.js';
import { authorizeIngressRequest, modifyDescriptionRequest, revokeIngressRequest } from '../../sql/to-api-call.js';
import { attempt, awsFailure, errorName, type AwsCall } from './errors.js';

export interface Ec2AllowlistOptions {
  readonly groupIds: readonly string[];
  /** For messages. */
  readonly region: string;
}

export class Ec2Allowlist implements Allowlist {
  constructor(
    private readonly client: EC2Client,
    private readonly options: Ec2AllowlistOptions,
  ) {}

  async list(): Promise<IngressRule[]> {
    const groupIds = [...this.options.groupIds];
    if (groupIds.length === 0) return [];
    const call = this.call('DescribeSecurityGroupRules', `security groups ${groupIds.join(', ')}`);
    const rules: IngressRule[] = [];
    let token: string | undefined;
    do {
      const input = { Filters: [{ Name: 'group-id', Values: groupIds }], MaxResults: 1000, ...(token ? { NextToken: token } : {}) };
      const page = await attempt(call, () => this.client.send(new DescribeSecurityGroupRulesCommand(input)));
      for (const rule of page?.SecurityGroupRules ?? []) if (!rule.IsEgress) rules.push(toIngressRule(rule));
      token = page?.NextToken;
    } while (token);
    return rules;
  }

  async authorize(rule: NetworkRule): Promise<void> {
    try {
      await this.client.send(new AuthorizeSecurityGroupIngressCommand(authorizeIngressRequest(rule)));
    } catch (error) {
      // Already there (an earlier run stopped after this call): what we wanted is true.
      if (errorName(error) === 'InvalidPermission.Duplicate') return;
      throw awsFailure(error, this.call('AuthorizeSecurityGroupIngress', `security group ${rule.groupId}`));
    }
  }

  async revoke(rule: { readonly groupId: string; readonly ruleId: string }): Promise<void> {
    try {
      await this.client.send(new RevokeSecurityGroupIngressCommand(revokeIngressRequest(rule)));
    } catch (error) {
      if (errorName(error) === 'InvalidSecurityGroupRuleId.NotFound') return;
      throw awsFailure(error, this.call('RevokeSecurityGroupIngress', `security group ${rule.groupId}`));
    }
  }

  async setDescription(rule: NetworkRule & { readonly ruleId: string }): Promise<void> {
    const call = this.call('ModifySecurityGroupRules', `rule ${rule.ruleId} in security group ${rule.groupId}`);
    await attempt(call, () => this.client.send(new ModifySecurityGroupRulesCommand(modifyDescriptionRequest(rule))));
  }

  private call(operation: string, target: string): AwsCall {
    return { permission: `ec2:${operation}`, target, region: this.options.region };
  }
}

function toIngressRule(rule: SecurityGroupRule): IngressRule {
  const cidr = rule.CidrIpv4 ?? rule.CidrIpv6;
  return {
    groupId: rule.GroupId ?? '',
    ruleId: rule.SecurityGroupRuleId ?? '',
    ...(cidr === undefined ? {} : { cidr: canonical(cidr) }),
    protocol: rule.IpProtocol ?? '-1',
    fromPort: rule.FromPort ?? -1,
    toPort: rule.ToPort ?? -1,
    description: rule.Description ?? '',
  };
}

/** The form the files use (`2001:db8::/48`, not `2001:0DB8:0::/48`), so the diff compares like with like. */
function canonical(cidr: string): string {
  try {
    const [address, prefix] = ipaddr.parseCIDR(cidr);
    return `${address.toString()}/${prefix}`;
  } catch {
    return cidr;
  }
}
