/**
 * A stateful allowlist that behaves like EC2 where the applier can tell: rule ids, a duplicate
 * rule counted as present, a rule already gone counted as revoked, the per-family quota, and
 * AWS's description rules. The plan/apply tests run on it; the local instance keeps it in a file.
 */
import { familyOf, type Allowlist, type IngressRule, type NetworkRule } from '../../model/allowlist.js';

export interface AllowlistSnapshot {
  readonly rules: readonly IngressRule[];
  /** The number part of the next rule id. */
  readonly nextId: number;
}

export interface MemoryAllowlistOptions {
  readonly groupIds: readonly string[];
  /** Inbound rules per group and IP family that the groups really take (AWS: 60). */
  readonly rulesPerGroup: number;
  readonly initial?: AllowlistSnapshot;
}

// AWS's rule (RDS.md), written out again rather than imported from the planner, so the twin checks
// the planner's descriptions instead of agreeing with them by construction.
const DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]{0,255}$/;

export class MemoryAllowlist implements Allowlist {
  private rules: IngressRule[];
  private nextId: number;

  constructor(private readonly options: MemoryAllowlistOptions) {
    this.rules = [...(options.initial?.rules ?? [])];
    this.nextId = options.initial?.nextId ?? 1;
  }

  async list(): Promise<IngressRule[]> {
    return this.rules.filter((rule) => this.options.groupIds.includes(rule.groupId)).map((rule) => ({ ...rule }));
  }

  async authorize(rule: NetworkRule): Promise<void> {
    this.knownGroup(rule.groupId);
    if (!DESCRIPTION.test(rule.description)) throw new Error(`InvalidParameterValue: invalid description ${JSON.stringify(rule.description)}`);
    const same = (r: IngressRule) =>
      r.groupId === rule.groupId && r.cidr === rule.cidr && r.protocol === 'tcp' && r.fromPort === rule.port && r.toPort === rule.port;
    if (this.rules.some(same)) return; // InvalidPermission.Duplicate, which the EC2 adapter takes as done
    const family = familyOf(rule.cidr);
    const inFamily = this.rules.filter((r) => r.groupId === rule.groupId && (r.cidr === undefined || familyOf(r.cidr) === family));
    if (inFamily.length >= this.options.rulesPerGroup) {
      throw new Error(`security group ${rule.groupId} is full: AWS refused another inbound rule (RulesPerSecurityGroupLimitExceeded)`);
    }
    const ruleId = `sgr-${String(this.nextId++).padStart(17, '0')}`;
    this.rules.push({ groupId: rule.groupId, ruleId, cidr: rule.cidr, protocol: 'tcp', fromPort: rule.port, toPort: rule.port, description: rule.description });
  }

  async revoke(rule: { readonly groupId: string; readonly ruleId: string }): Promise<void> {
    this.rules = this.rules.filter((r) => !(r.groupId === rule.groupId && r.ruleId === rule.ruleId));
  }

  async setDescription(rule: NetworkRule & { readonly ruleId: string }): Promise<void> {
    if (!DESCRIPTION.test(rule.description)) throw new Error(`InvalidParameterValue: invalid description ${JSON.stringify(rule.description)}`);
    const index = this.rules.findIndex((r) => r.groupId === rule.groupId && r.ruleId === rule.ruleId);
    if (index < 0) throw new Error(`InvalidSecurityGroupRuleId.NotFound: rule ${rule.ruleId} is not in ${rule.groupId}`);
    // As ModifySecurityGroupRules: the whole rule is replaced.
    this.rules[index] = { groupId: rule.groupId, ruleId: rule.ruleId, cidr: rule.cidr, protocol: 'tcp', fromPort: rule.port, toPort: rule.port, description: rule.description };
  }

  snapshot(): AllowlistSnapshot {
    return { rules: this.rules.map((rule) => ({ ...rule })), nextId: this.nextId };
  }

  private knownGroup(groupId: string): void {
    if (!this.options.groupIds.includes(groupId)) throw new Error(`InvalidGroup.NotFound: security group ${groupId} does not exist`);
  }
}
