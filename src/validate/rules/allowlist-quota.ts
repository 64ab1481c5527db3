/**
 * Security-group quotas: a group holds 60 inbound rules per IP family by default, and one rule per
 * unique CIDR is needed (baseline plus every team's external networks). Going over fails the apply
 * half-way, so the PR check stops it and warns from 80%.
 */
import type { Family } from '../cidr.js';
import type { DatabaseDraft, InstanceDraft } from '../drafts.js';
import { error, warning, type Finding } from '../finding.js';
import { parsedNetworks } from './networks.js';

const WARN_AT = 0.8;
const FAMILY_NAME: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

/** `databases` are those that land on `instance`. */
export function allowlistQuotaRule(instance: InstanceDraft, databases: readonly DatabaseDraft[]): Finding[] {
  // Only RDS instances have security groups; the local instance listens on loopback only.
  if (instance.kind !== 'rds' || instance.rulesPerSecurityGroup === undefined || instance.securityGroups === 0) return [];
  const capacity = instance.rulesPerSecurityGroup * instance.securityGroups;
  const groups = `${instance.securityGroups} security group${instance.securityGroups === 1 ? '' : 's'}`;
  const name = instance.name ?? instance.stem;
  const findings: Finding[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const rules = new Set(parsedNetworks(instance.baseline).filter((n) => n.cidr.family === family).map((n) => n.cidr.canonical));
    let firstOver: { readonly file: string; readonly path: readonly (string | number)[] } | undefined;
    for (const db of [...databases].sort((a, b) => (a.file < b.file ? -1 : 1))) {
      for (const network of parsedNetworks(db.external)) {
        if (network.cidr.family !== family || rules.has(network.cidr.canonical)) continue;
        rules.add(network.cidr.canonical);
        if (rules.size === capacity + 1) firstOver = { file: db.file, path: [...network.draft.path, 'cidr'] };
      }
    }
    const count = rules.size;
    if (firstOver) {
      findings.push(
        error(firstOver.file, 'allowlist.quota-exceeded', `instance ${name} would need ${count} ${FAMILY_NAME[family]} allowlist rules, but its ${groups} hold ${capacity}; this network is the first that does not fit`, {
          path: firstOver.path,
          anchor: 'value',
          hint: 'ask Platon to attach another security group or raise the quota, or share a network other teams already list',
        }),
      );
    } else if (count >= Math.ceil(capacity * WARN_AT)) {
      findings.push(
        warning(instance.file, 'allowlist.quota-near', `instance ${name} uses ${count} of ${capacity} ${FAMILY_NAME[family]} allowlist rules (80% or more)`, {
          path: ['limits', 'rulesPerSecurityGroup'],
          hint: 'plan another security group or a quota increase before it is full',
        }),
      );
    }
  }
  return findings;
}
