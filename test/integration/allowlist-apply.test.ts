/**
 * The allowlist in the same plan and apply as the SQL, on a real PostgreSQL 15 and the in-memory
 * allowlist twin: access added first and removed last, spread over groups by quota, rules that are
 * not ours untouched, convergence, and a failed API call that stops the apply like a failed statement.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Allowlist, AllowlistTarget } from '../../src/model/allowlist.js';
import type { PlannedChange } from '../../src/model/change.js';
import { MemoryAllowlist } from '../../src/adapters/local/memory-allowlist.js';
import { spec } from '../support/states.js';
import { harness, type Harness } from '../support/applier.js';

// Roles are cluster-wide and test files share one server: every name here starts with al_.
const net = (...cidrs: string[]) => ({ access: { external: cidrs.map((cidr) => ({ cidr, description: 'clients' })) } });
const shop = spec('al_shop', net('192.0.2.0/28'));
const wiki = spec('al_wiki', { ...net('192.0.2.0/28', '2001:db8:1::/48'), users: { readOnly: false } });

const target: AllowlistTarget = {
  instanceFile: 'instances/local.yaml',
  groupIds: ['sg-a', 'sg-b'],
  port: 5432,
  rulesPerGroup: 2,
  baseline: [{ cidr: '198.51.100.0/24', description: 'Office network' }],
};
const unmanaged = { groupId: 'sg-a', ruleId: 'sgr-handmade', cidr: '10.0.0.0/8', protocol: 'tcp', fromPort: 5432, toPort: 5432, description: 'VPC internal' };

let allowlist: MemoryAllowlist;
/** While set, revoking fails as AWS does when the role lacks the permission. */
let denyRevoke = false;
let h: Harness;
const rules = async () => (await allowlist.list()).map((r) => `${r.groupId} ${r.cidr} "${r.description}"`).sort();
const kinds = (changes: readonly PlannedChange[]) => changes.map((c) => c.change.kind);

beforeAll(async () => {
  allowlist = new MemoryAllowlist({ groupIds: target.groupIds, rulesPerGroup: 2, initial: { rules: [unmanaged], nextId: 1 } });
  const adapter: Allowlist = {
    list: () => allowlist.list(),
    authorize: (rule) => allowlist.authorize(rule),
    setDescription: (rule) => allowlist.setDescription(rule),
    revoke: async (rule) => {
      if (denyRevoke) throw new Error(`AWS denied ec2:RevokeSecurityGroupIngress on security group ${rule.groupId}`);
      return allowlist.revoke(rule);
    },
  };
  h = await harness({ scope: 'al_', allowlist: { target, adapter } });
});

describe('allowlist and SQL in one plan', () => {
  it('adds access before the databases, spread over the groups, and plans nothing after', async () => {
    const { plan, result } = await h.apply([shop, wiki]);
    expect(plan.errors).toEqual([]);
    expect(kinds(plan.changes).slice(0, 4)).toEqual(['authorize-ingress', 'authorize-ingress', 'authorize-ingress', 'create-role']);
    expect(plan.changes.filter((c) => c.placement.target === 'allowlist')).toHaveLength(3);
    expect(result.failed).toBeUndefined();
    expect(result.applied).toHaveLength(plan.changes.length);
    // sg-a holds the hand-made rule and the first network (2 of 2 IPv4); the baseline goes to sg-b.
    expect(await rules()).toEqual([
      'sg-a 10.0.0.0/8 "VPC internal"',
      'sg-a 192.0.2.0/28 "platon-db: al_shop, al_wiki"',
      'sg-a 2001:db8:1::/48 "platon-db: al_wiki"',
      'sg-b 198.51.100.0/24 "platon-db: baseline Office network"',
    ]);
    const again = await h.plan([shop, wiki]);
    expect({ changes: again.changes.map((c) => c.summary), notes: again.notes, errors: again.errors }).toEqual({ changes: [], notes: [], errors: [] });
  });

  it('follows a database leaving a network: description first, removal last, then nothing', async () => {
    const wikiAlone = { ...wiki, access: { external: [] } };
    const { plan, result } = await h.apply([shop, wikiAlone]);
    expect(plan.changes.map((c) => c.summary)).toEqual([
      'update the rule for 192.0.2.0/28: now for al_shop',
      'revoke 2001:db8:1::/48 (port 5432): no database or baseline lists it any more, so it can no longer reach the instance',
    ]);
    expect(result.failed).toBeUndefined();
    expect(await rules()).toEqual([
      'sg-a 10.0.0.0/8 "VPC internal"',
      'sg-a 192.0.2.0/28 "platon-db: al_shop"',
      'sg-b 198.51.100.0/24 "platon-db: baseline Office network"',
    ]);
    expect((await h.plan([shop, wikiAlone])).changes).toEqual([]);
  });

  it('stops at a failed API call, says what was applied, and converges on the next run', async () => {
    const files = [
      { ...shop, access: { external: [{ cidr: '192.0.2.32/28', description: 'new office' }] }, extensions: ['citext'] },
      { ...wiki, access: { external: [] } },
    ];
    denyRevoke = true;
    const { plan, result } = await h.apply(files);
    expect(kinds(plan.changes)).toEqual(['authorize-ingress', 'create-extension', 'set-marker', 'revoke-ingress']);
    expect(result.failed).toEqual({ change: plan.changes[3], message: 'AWS denied ec2:RevokeSecurityGroupIngress on security group sg-a' });
    expect(result.applied).toEqual(plan.changes.slice(0, 3));
    expect(result.notApplied).toEqual([]);
    // The SQL went through; the old network stays allowed until a run revokes it.
    expect(await rules()).toContain('sg-a 192.0.2.0/28 "platon-db: al_shop"');

    denyRevoke = false;
    const retry = await h.apply(files);
    expect(kinds(retry.plan.changes)).toEqual(['revoke-ingress']);
    expect(retry.result.failed).toBeUndefined();
    expect((await h.plan(files)).changes).toEqual([]);
    expect(await rules()).toEqual([
      'sg-a 10.0.0.0/8 "VPC internal"',
      'sg-b 192.0.2.32/28 "platon-db: al_shop"',
      'sg-b 198.51.100.0/24 "platon-db: baseline Office network"',
    ]);
  });
});
