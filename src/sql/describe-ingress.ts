/**
 * How allowlist changes read in a plan. Each says who uses the network, and a new rule says that
 * it opens the whole instance: RDS cannot limit a network to one database.
 */
import type { Change } from '../model/change.js';

type IngressChange = Extract<Change, { kind: 'authorize-ingress' | 'update-ingress-description' | 'revoke-ingress' }>;

/** `the baseline network "Office", shop, wiki`. */
function users(change: IngressChange): string {
  const baseline = change.baseline === undefined ? [] : [`the baseline network "${change.baseline}"`];
  return [...baseline, ...change.usedBy].join(', ') || 'nobody';
}

function ports(protocol: string, from: number, to: number): string {
  if (protocol === '-1') return 'all traffic';
  const range = from === to ? `port ${from}` : `ports ${from}-${to}`;
  return protocol === 'tcp' ? range : `${protocol} ${range}`;
}

export function ingressSummary(change: IngressChange): string {
  switch (change.kind) {
    case 'authorize-ingress':
      return `allow ${change.cidr} to port ${change.port} of the whole instance, for ${users(change)}`;
    case 'update-ingress-description':
      return `update the rule for ${change.cidr}: now for ${users(change)}`;
    case 'revoke-ingress': {
      const on = ports(change.protocol, change.fromPort, change.toPort);
      switch (change.reason) {
        case 'unused':
          return `revoke ${change.cidr} (${on}): no database or baseline lists it any more, so it can no longer reach the instance`;
        case 'duplicate':
          return `revoke a second rule for ${change.cidr} (${change.ruleId} in ${change.groupId}): one rule per network is enough`;
        case 'other-port':
          return `revoke the rule for ${change.cidr} on ${on}: platon-db rules open only the instance's port`;
      }
    }
  }
}
