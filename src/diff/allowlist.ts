/**
 * The IP allowlist: one TCP rule on the instance's port per unique CIDR (the baseline networks of
 * the instance file plus every external network of its databases), described by who uses it.
 * Pure and deterministic.
 *
 * Only rules described `platon-db: ...` are ever changed. Existing rules stay in the group they are
 * in (no churn); new ones go to the first listed group with room in their IP family. Quotas count
 * every rule of a group, ours or not, and count rules this plan revokes as still there: access is
 * added first and removed last, so both exist at once during an apply.
 */
import { MANAGED_PREFIX, familyOf, type AllowlistTarget, type IngressRule, type IpFamily } from '../model/allowlist.js';
import { INSTANCE_WIDE, type Change, type Note, type PlanError } from '../model/change.js';
import type { DatabaseSpec } from '../model/spec.js';
import { ruleDescription } from './allowlist-description.js';

export interface AllowlistDiff {
  readonly changes: readonly Change[];
  readonly notes: readonly Note[];
  readonly errors: readonly PlanError[];
}

/** One network the files ask for. */
interface Wanted {
  readonly cidr: string;
  readonly usedBy: readonly string[];
  readonly baseline?: string;
  readonly description: string;
  /** Where an error about it belongs: its first database, or the instance for a baseline network. */
  readonly database: string;
  readonly file: string;
}

const FAMILY_NAME: Record<IpFamily, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

export const isManaged = (rule: IngressRule): boolean => rule.description.startsWith(MANAGED_PREFIX);

/** Exactly what platon-db creates: TCP on the instance's port and nothing else. */
const opensOnly = (rule: IngressRule, port: number): boolean => rule.protocol === 'tcp' && rule.fromPort === port && rule.toPort === port;

export function diffAllowlist(
  instance: string,
  target: AllowlistTarget,
  databases: readonly DatabaseSpec[],
  live: readonly IngressRule[],
): AllowlistDiff {
  const wanted = wantedRules(target, databases);
  const groups = target.groupIds;
  const place = (rule: IngressRule) => groups.indexOf(rule.groupId);
  const rules = live
    .filter((rule) => place(rule) >= 0)
    .sort((a, b) => place(a) - place(b) || compare(a.ruleId, b.ruleId));
  const changes: Change[] = [];
  const notes: Note[] = [];
  const errors: PlanError[] = [];

  const kept = new Set<string>();
  for (const rule of rules.filter(isManaged)) {
    if (rule.cidr === undefined) {
      notes.push(warning(`rule ${rule.ruleId} in ${rule.groupId} is described "${rule.description}" but allows a security group or prefix list, not a network; platon-db leaves it alone`));
      continue;
    }
    const { cidr } = rule;
    const want = wanted.get(cidr);
    if (!opensOnly(rule, target.port)) changes.push(revoke(rule, cidr, 'other-port', want));
    else if (!want) changes.push(revoke(rule, cidr, 'unused', want));
    else if (kept.has(cidr)) changes.push(revoke(rule, cidr, 'duplicate', want));
    else {
      kept.add(cidr);
      if (rule.description !== want.description) {
        changes.push({
          kind: 'update-ingress-description',
          ...users(want),
          groupId: rule.groupId,
          ruleId: rule.ruleId,
          port: target.port,
          description: want.description,
          previous: rule.description,
        });
      }
    }
  }

  const used = usage(rules, groups);
  for (const want of [...wanted.values()].sort((a, b) => compare(a.cidr, b.cidr))) {
    if (kept.has(want.cidr)) continue;
    const theirs = rules.find((rule) => !isManaged(rule) && rule.cidr === want.cidr && opensOnly(rule, target.port));
    if (theirs) {
      // AWS refuses an identical rule in the same group, and one in another group adds nothing.
      notes.push(warning(`${want.cidr} already reaches port ${target.port} through rule ${theirs.ruleId} in ${theirs.groupId} ("${theirs.description}"), which platon-db does not manage; no second rule is added. Describe that rule "platon-db: ..." to hand it over`));
      continue;
    }
    const family = familyOf(want.cidr);
    const group = groups.find((id) => used.get(id)![family] < target.rulesPerGroup);
    if (group === undefined) {
      errors.push(full(instance, target, want, changes));
      continue;
    }
    used.get(group)![family] += 1;
    changes.push({ kind: 'authorize-ingress', ...users(want), groupId: group, port: target.port, description: want.description });
  }
  return { changes, notes, errors };
}

/** A retired or dropped database has no users who can log in: its networks need no opening (and the report lists none). */
export const opensNetworks = (db: DatabaseSpec): boolean => (db.state ?? 'active') === 'active';

function wantedRules(target: AllowlistTarget, databases: readonly DatabaseSpec[]): Map<string, Wanted> {
  const baseline = new Map<string, string>();
  for (const network of target.baseline) if (!baseline.has(network.cidr)) baseline.set(network.cidr, network.description);
  const usedBy = new Map<string, DatabaseSpec[]>();
  const active = databases.filter(opensNetworks);
  for (const db of active.sort((a, b) => compare(a.name, b.name))) {
    for (const network of db.access.external) {
      const list = usedBy.get(network.cidr) ?? [];
      if (!list.includes(db)) usedBy.set(network.cidr, [...list, db]);
    }
  }
  const wanted = new Map<string, Wanted>();
  for (const cidr of new Set([...baseline.keys(), ...usedBy.keys()])) {
    const dbs = usedBy.get(cidr) ?? [];
    const names = dbs.map((db) => db.name);
    const about = baseline.get(cidr);
    const first = dbs[0];
    wanted.set(cidr, {
      cidr,
      usedBy: names,
      ...(about === undefined ? {} : { baseline: about }),
      description: ruleDescription({ ...(about === undefined ? {} : { baseline: about }), usedBy: names }),
      database: first?.name ?? INSTANCE_WIDE,
      file: first?.file ?? target.instanceFile,
    });
  }
  return wanted;
}

/** The instance-wide fields of a change about `want`'s network. */
const users = (want: Wanted) => ({
  database: INSTANCE_WIDE,
  cidr: want.cidr,
  usedBy: want.usedBy,
  ...(want.baseline === undefined ? {} : { baseline: want.baseline }),
});

type RevokeReason = Extract<Change, { kind: 'revoke-ingress' }>['reason'];

function revoke(rule: IngressRule, cidr: string, reason: RevokeReason, want: Wanted | undefined): Change {
  return {
    kind: 'revoke-ingress',
    ...(want ? users(want) : { database: INSTANCE_WIDE, cidr, usedBy: [] }),
    groupId: rule.groupId,
    ruleId: rule.ruleId,
    protocol: rule.protocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    description: rule.description,
    reason,
  };
}

/**
 * Rules per group and family. A rule that references a group or prefix list has no family and,
 * as AWS counts it, takes one place in each.
 */
function usage(rules: readonly IngressRule[], groups: readonly string[]): Map<string, Record<IpFamily, number>> {
  const used = new Map(groups.map((id) => [id, { ipv4: 0, ipv6: 0 }]));
  for (const rule of rules) {
    const count = used.get(rule.groupId)!;
    if (rule.cidr === undefined) {
      count.ipv4 += 1;
      count.ipv6 += 1;
    } else count[familyOf(rule.cidr)] += 1;
  }
  return used;
}

function full(instance: string, target: AllowlistTarget, want: Wanted, planned: readonly Change[]): PlanError {
  const family = FAMILY_NAME[familyOf(want.cidr)];
  const where = `instance ${instance}`;
  if (target.groupIds.length === 0) {
    return {
      code: 'allowlist.no-groups',
      database: want.database,
      file: want.file,
      message: `${where} lists no allowlist security groups, so ${want.cidr} has nowhere to go`,
      hint: `list platon-db's security groups under aws.allowlistSecurityGroupIds in ${target.instanceFile}`,
    };
  }
  const freed = planned.filter((c) => c.kind === 'revoke-ingress' && familyOf(c.cidr) === familyOf(want.cidr)).length;
  const later = freed > 0 ? `; the ${freed} ${family} rules this plan removes free their places only after new ones are added, so merging the removals first makes room` : '';
  return {
    code: 'allowlist.full',
    database: want.database,
    file: want.file,
    message: `no allowlist security group of ${where} has room for ${want.cidr}: ${holds(target.groupIds, `${target.rulesPerGroup} ${family} inbound rules`)}`,
    hint: `attach another security group to the instance and add it to aws.allowlistSecurityGroupIds in ${target.instanceFile}, or raise the AWS quota and limits.rulesPerSecurityGroup${later}`,
  };
}

const holds = (groups: readonly string[], rules: string): string =>
  groups.length === 1 ? `${groups[0]} holds its ${rules} and is full` : `${groups.join(', ')} hold ${rules} each and are full`;

const warning = (message: string): Note => ({ kind: 'warning', database: INSTANCE_WIDE, message });

// Code-unit order: the same on every machine.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
