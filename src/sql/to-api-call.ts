/**
 * Allowlist change -> the EC2 request it makes. Pure. The plan shows these requests and the EC2
 * adapter sends the very same objects (it builds them with the functions below), so what a
 * reviewer approves is what runs.
 */
import { familyOf, type NetworkRule } from '../model/allowlist.js';
import type { ApiCall, Change } from '../model/change.js';

export function authorizeIngressRequest(rule: NetworkRule) {
  const range =
    familyOf(rule.cidr) === 'ipv6'
      ? { Ipv6Ranges: [{ CidrIpv6: rule.cidr, Description: rule.description }] }
      : { IpRanges: [{ CidrIp: rule.cidr, Description: rule.description }] };
  return {
    GroupId: rule.groupId,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: rule.port, ToPort: rule.port, ...range }],
  };
}

export const revokeIngressRequest = (rule: { readonly groupId: string; readonly ruleId: string }) => ({
  GroupId: rule.groupId,
  SecurityGroupRuleIds: [rule.ruleId],
});

/** ModifySecurityGroupRules replaces the whole rule: protocol, ports and network go along. */
export function modifyDescriptionRequest(rule: NetworkRule & { readonly ruleId: string }) {
  const cidr = familyOf(rule.cidr) === 'ipv6' ? { CidrIpv6: rule.cidr } : { CidrIpv4: rule.cidr };
  return {
    GroupId: rule.groupId,
    SecurityGroupRules: [
      {
        SecurityGroupRuleId: rule.ruleId,
        SecurityGroupRule: { IpProtocol: 'tcp', FromPort: rule.port, ToPort: rule.port, ...cidr, Description: rule.description },
      },
    ],
  };
}

/** The call an allowlist change makes; undefined for SQL changes. */
export function toApiCall(change: Change): ApiCall | undefined {
  switch (change.kind) {
    case 'authorize-ingress':
      return { service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', input: authorizeIngressRequest(change) };
    case 'update-ingress-description':
      return { service: 'ec2', operation: 'ModifySecurityGroupRules', input: modifyDescriptionRequest(change) };
    case 'revoke-ingress':
      return { service: 'ec2', operation: 'RevokeSecurityGroupIngress', input: revokeIngressRequest(change) };
    default:
      return undefined;
  }
}
