/**
 * The IP allowlist: inbound rules on the VPC security groups attached to an RDS instance (EC2 API,
 * RDS.md "Network"), or a file for the local instance. Access is instance-wide: RDS has no
 * per-database pg_hba, so a rule lets a network reach every database on the instance, where each
 * database still admits only its own users.
 */
import type { NetworkSpec } from './spec.js';

/** Every rule platon-db manages has a description starting with this; no other rule is touched. */
export const MANAGED_PREFIX = 'platon-db:';

export type IpFamily = 'ipv4' | 'ipv6';

/** Canonical CIDRs are validated before they get here: a colon means IPv6. */
export const familyOf = (cidr: string): IpFamily => (cidr.includes(':') ? 'ipv6' : 'ipv4');

/** One inbound rule as the security group (or the local file) holds it. */
export interface IngressRule {
  readonly groupId: string;
  /** `sgr-...` on AWS. */
  readonly ruleId: string;
  /** Canonical CIDR; absent when the rule references another security group or a prefix list. */
  readonly cidr?: string;
  /** `tcp`, `udp`, `icmp`, ... or `-1` for all traffic. */
  readonly protocol: string;
  /** -1 when the protocol has no ports (`-1`, icmp). */
  readonly fromPort: number;
  readonly toPort: number;
  /** `''` when the rule has none. */
  readonly description: string;
}

/** A TCP rule for one port, the only kind platon-db creates. */
export interface NetworkRule {
  readonly groupId: string;
  readonly cidr: string;
  readonly port: number;
  readonly description: string;
}

/**
 * The edge the applier reaches the allowlist through: EC2 for RDS, a file for the local instance,
 * memory in tests. Every call is idempotent so that an apply that stopped half-way can run again.
 */
export interface Allowlist {
  /** Every inbound rule of the instance's allowlist groups, managed or not. */
  list(): Promise<IngressRule[]>;
  /** A rule that already exists (InvalidPermission.Duplicate on AWS) counts as added. */
  authorize(rule: NetworkRule): Promise<void>;
  /** A rule that is already gone counts as revoked. */
  revoke(rule: { readonly groupId: string; readonly ruleId: string }): Promise<void>;
  /**
   * ModifySecurityGroupRules replaces a rule as a whole, so the rule's network and port come along
   * with the new description.
   */
  setDescription(rule: NetworkRule & { readonly ruleId: string }): Promise<void>;
}

/** What the instance file asks of its allowlist; the databases' networks come from their files. */
export interface AllowlistTarget {
  /** For locating errors, e.g. `instances/shared-pg15.yaml`. */
  readonly instanceFile: string;
  /** In the order the instance file lists them: new rules fill the first group with room. */
  readonly groupIds: readonly string[];
  /** The instance's port: one rule per CIDR opens it, and only it. */
  readonly port: number;
  /** Inbound rules per group and IP family (AWS: 60 IPv4 and, separately, 60 IPv6). */
  readonly rulesPerGroup: number;
  readonly baseline: readonly NetworkSpec[];
}
