import { describe, expect, it } from 'vitest';
import { diffAllowlist } from '../../src/diff/allowlist.js';
import { cleanDescription, ruleDescription } from '../../src/diff/allowlist-description.js';
import type { Change } from '../../src/model/change.js';
import type { DatabaseSpec } from '../../src/model/spec.js';
import { spec } from '../support/states.js';
import { PORT, rule, target, v4s, v6s } from '../support/allowlist.js';

const ext = (...cidrs: string[]) => ({ access: { external: cidrs.map((cidr) => ({ cidr, description: 'clients' })) } });
const shop = spec('shop', ext('192.0.2.0/28'));
const wiki = spec('wiki', ext('192.0.2.0/28', '2001:db8:1::/48'));
const office = { cidr: '198.51.100.0/24', description: 'Office network' };

/** `kind cidr group [description|reason]`, one line per change. */
function lines(changes: readonly Change[]): string[] {
  return changes.map((c) => {
    switch (c.kind) {
      case 'authorize-ingress':
        return `+ ${c.cidr} ${c.groupId} "${c.description}"`;
      case 'update-ingress-description':
        return `~ ${c.cidr} ${c.groupId} ${c.ruleId} "${c.previous}" -> "${c.description}"`;
      case 'revoke-ingress':
        return `- ${c.cidr} ${c.groupId} ${c.ruleId} ${c.reason}`;
      default:
        return c.kind;
    }
  });
}

const run = (databases: readonly DatabaseSpec[], live: Parameters<typeof diffAllowlist>[3], t = target()) =>
  diffAllowlist('shared-pg15', t, databases, live);

describe('allowlist diff', () => {
  it.each([
    ['nothing asked, nothing there', [], [], target(), []],
    ['a database network', [shop], [], target(), ['+ 192.0.2.0/28 sg-a "platon-db: shop"']],
    ['a baseline network', [], [], target({ baseline: [office] }), ['+ 198.51.100.0/24 sg-a "platon-db: baseline Office network"']],
    [
      'a network two databases share: one rule naming both, and IPv6 alike',
      [wiki, shop],
      [],
      target(),
      ['+ 192.0.2.0/28 sg-a "platon-db: shop, wiki"', '+ 2001:db8:1::/48 sg-a "platon-db: wiki"'],
    ],
    [
      'a baseline network a database lists too',
      [spec('shop', ext(office.cidr))],
      [],
      target({ baseline: [office] }),
      ['+ 198.51.100.0/24 sg-a "platon-db: baseline Office network; shop"'],
    ],
  ])('authorizes %s', (_name, databases, live, t, expected) => {
    const result = run(databases, live, t);
    expect(lines(result.changes)).toEqual(expected);
    expect(result.errors).toEqual([]);
  });

  it('plans nothing when the rules match (no churn), wherever they are', () => {
    const live = [
      rule('192.0.2.0/28', 'platon-db: shop, wiki', { groupId: 'sg-b' }),
      rule('2001:db8:1::/48', 'platon-db: wiki'),
      rule('198.51.100.0/24', 'platon-db: baseline Office network', { groupId: 'sg-b' }),
    ];
    expect(run([shop, wiki], live, target({ groupIds: ['sg-a', 'sg-b'], baseline: [office] }))).toEqual({ changes: [], notes: [], errors: [] });
  });

  it('updates the description when the users of a network change', () => {
    const live = [rule('192.0.2.0/28', 'platon-db: shop', { ruleId: 'sgr-1' })];
    const result = run([shop, spec('wiki', ext('192.0.2.0/28'))], live);
    expect(lines(result.changes)).toEqual(['~ 192.0.2.0/28 sg-a sgr-1 "platon-db: shop" -> "platon-db: shop, wiki"']);
    expect(result.changes[0]).toMatchObject({ usedBy: ['shop', 'wiki'], port: PORT, database: '' });
  });

  it('revokes a network no file lists any more', () => {
    const live = [rule('192.0.2.0/28', 'platon-db: shop', { ruleId: 'sgr-1' }), rule('192.0.2.64/28', 'platon-db: gone', { ruleId: 'sgr-2' })];
    expect(lines(run([shop], live).changes)).toEqual(['- 192.0.2.64/28 sg-a sgr-2 unused']);
  });

  it('never touches rules that are not described platon-db:', () => {
    const live = [
      rule('10.0.0.0/8', 'VPC internal'),
      rule('192.0.2.64/28', ''),
      rule(undefined, 'app servers', { ruleId: 'sgr-ref' }),
      rule('192.0.2.0/28', 'Platon-DB: wrong case, not ours'),
    ];
    const result = run([shop], live);
    // The last rule is identical to what shop needs: AWS would refuse a duplicate, so none is added.
    expect(result.changes).toEqual([]);
    expect(result.notes).toEqual([
      expect.objectContaining({ kind: 'warning', database: '', message: expect.stringContaining('192.0.2.0/28 already reaches port 5432 through rule') }),
    ]);
  });

  it('leaves a managed rule that allows a group rather than a network, and says so', () => {
    const result = run([], [rule(undefined, 'platon-db: odd', { ruleId: 'sgr-ref' })]);
    expect(result.changes).toEqual([]);
    expect(result.notes[0]?.kind === 'warning' && result.notes[0].message).toContain('rule sgr-ref in sg-a is described "platon-db: odd"');
  });

  it('replaces a managed rule on another port or protocol, and keeps one rule per network', () => {
    const live = [
      rule('192.0.2.0/28', 'platon-db: shop', { ruleId: 'sgr-1', fromPort: 5433, toPort: 5433 }),
      rule('2001:db8:1::/48', 'platon-db: wiki', { ruleId: 'sgr-2', protocol: '-1', fromPort: -1, toPort: -1 }),
      rule('2001:db8:1::/48', 'platon-db: wiki', { ruleId: 'sgr-3' }),
      rule('2001:db8:1::/48', 'platon-db: wiki', { ruleId: 'sgr-4', groupId: 'sg-b' }),
    ];
    const result = run([spec('shop', ext('192.0.2.0/28')), spec('wiki', ext('2001:db8:1::/48'))], live, target({ groupIds: ['sg-a', 'sg-b'] }));
    expect(lines(result.changes)).toEqual([
      '- 192.0.2.0/28 sg-a sgr-1 other-port',
      '- 2001:db8:1::/48 sg-a sgr-2 other-port',
      '- 2001:db8:1::/48 sg-b sgr-4 duplicate',
      '+ 192.0.2.0/28 sg-a "platon-db: shop"',
    ]);
  });

  it('replaces a managed rule widened by hand to a port range that starts at the instance port', () => {
    // A rule opens FromPort..ToPort inclusive: 5432-6000 also opens 5433-6000, so it is not the
    // desired rule (exactly 5432-5432) even though it starts at 5432.
    const live = [rule('192.0.2.0/28', 'platon-db: shop', { ruleId: 'sgr-wide', fromPort: PORT, toPort: 6000 })];
    const result = run([shop], live);
    expect(lines(result.changes)).toEqual(['- 192.0.2.0/28 sg-a sgr-wide other-port', '+ 192.0.2.0/28 sg-a "platon-db: shop"']);
    expect(result.changes[0]).toMatchObject({ kind: 'revoke-ingress', protocol: 'tcp', fromPort: 5432, toPort: 6000 });
    // Nor does a range that merely ends at the port, or a wider unmanaged rule, stand in for it.
    expect(lines(run([shop], [rule('192.0.2.0/28', 'platon-db: shop', { ruleId: 'sgr-end', fromPort: 5000, toPort: PORT })]).changes)).toEqual([
      '- 192.0.2.0/28 sg-a sgr-end other-port',
      '+ 192.0.2.0/28 sg-a "platon-db: shop"',
    ]);
    const theirs = run([shop], [rule('192.0.2.0/28', 'hand-made', { fromPort: PORT, toPort: 6000 })]);
    expect(lines(theirs.changes)).toEqual(['+ 192.0.2.0/28 sg-a "platon-db: shop"']);
    expect(theirs.notes).toEqual([]);
  });

  it('closes the networks of a retired database, keeping those an active one shares', () => {
    const live = [rule('192.0.2.0/28', 'platon-db: shop, wiki', { ruleId: 'sgr-1' }), rule('2001:db8:1::/48', 'platon-db: wiki', { ruleId: 'sgr-2' })];
    const result = run([shop, { ...wiki, state: 'retired' }], live);
    expect(lines(result.changes)).toEqual(['~ 192.0.2.0/28 sg-a sgr-1 "platon-db: shop, wiki" -> "platon-db: shop"', '- 2001:db8:1::/48 sg-a sgr-2 unused']);
  });

  it('ignores rules of groups the instance file does not list', () => {
    expect(run([], [rule('192.0.2.0/28', 'platon-db: shop', { groupId: 'sg-other' })]).changes).toEqual([]);
  });
});

describe('allowlist quotas', () => {
  const groups = target({ groupIds: ['sg-a', 'sg-b'], rulesPerGroup: 3 });

  it('fills the first listed group with room, per IP family', () => {
    const db = spec('shop', ext(...v4s(4), ...v6s(2)));
    const live = [rule('192.0.2.0/28', 'someone else')]; // one IPv4 place in sg-a is taken
    expect(lines(run([db], live, groups).changes).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      '+ 2001:db8::1/128 sg-a',
      '+ 2001:db8::2/128 sg-a',
      '+ 203.0.113.1/32 sg-a',
      '+ 203.0.113.2/32 sg-a',
      '+ 203.0.113.3/32 sg-b',
      '+ 203.0.113.4/32 sg-b',
    ]);
  });

  it('counts a rule that references a group once in each family', () => {
    const live = [rule(undefined, 'app servers'), rule(undefined, 'bastion'), rule(undefined, 'lambda')];
    const result = run([spec('shop', ext(...v6s(1)))], live, groups);
    expect(lines(result.changes)).toEqual(['+ 2001:db8::1/128 sg-b "platon-db: shop"']);
  });

  it('fails with a clear message when every group is full, naming the file that asks', () => {
    const live = [...v4s(3, 100), ...v4s(3, 200)].map((cidr, i) => rule(cidr, 'someone else', { groupId: i < 3 ? 'sg-a' : 'sg-b' }));
    const result = run([spec('shop', ext('192.0.2.0/28'))], live, groups);
    expect(result.changes).toEqual([]);
    expect(result.errors).toEqual([
      {
        code: 'allowlist.full',
        database: 'shop',
        file: 'databases/shop.yaml',
        message: 'no allowlist security group of instance shared-pg15 has room for 192.0.2.0/28: sg-a, sg-b hold 3 IPv4 inbound rules each and are full',
        hint: 'attach another security group to the instance and add it to aws.allowlistSecurityGroupIds in instances/shared-pg15.yaml, or raise the AWS quota and limits.rulesPerSecurityGroup',
      },
    ]);
  });

  it('does not count on places that revokes free: they are removed after new rules are added', () => {
    const live = v4s(3).map((cidr) => rule(cidr, 'platon-db: old'));
    const result = run([spec('shop', ext('192.0.2.0/28'))], live, target({ rulesPerGroup: 3 }));
    expect(lines(result.changes).filter((l) => l.startsWith('-'))).toHaveLength(3);
    expect(result.errors.map((e) => e.hint)).toEqual([expect.stringContaining('the 3 IPv4 rules this plan removes free their places only after new ones are added')]);
  });

  it('puts a baseline network that does not fit on the instance file', () => {
    const result = run([], [], target({ groupIds: [], baseline: [office] }));
    expect(result.errors).toEqual([expect.objectContaining({ code: 'allowlist.no-groups', database: '', file: 'instances/shared-pg15.yaml' })]);
  });
});

describe('rule descriptions', () => {
  // AWS EC2 API reference, IpRange / Ipv6Range / SecurityGroupRuleRequest "Description":
  // "Constraints: Up to 255 characters in length. Allowed characters are a-z, A-Z, 0-9, spaces,
  // and ._-:/()#,@[]+=&;{}!$*". Written out here, not imported, so the code is held to AWS's rule.
  const AWS_MAX_DESCRIPTION = 255;
  const ALLOWED = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
  const many = Array.from({ length: 40 }, (_, i) => `team_database_number_${String(i).padStart(2, '0')}`);

  it.each([
    ['databases', { usedBy: ['shop', 'wiki'] }, 'platon-db: shop, wiki'],
    ['baseline', { baseline: 'VPN', usedBy: [] }, 'platon-db: baseline VPN'],
    ['both', { baseline: 'VPN', usedBy: ['shop'] }, 'platon-db: baseline VPN; shop'],
    ['characters AWS refuses', { baseline: 'Büro – VPN «Oslo» & Bergen', usedBy: [] }, 'platon-db: baseline Buro - VPN -Oslo- - Bergen'],
    ['many databases, cut to 255 with a count', { usedBy: many }, expect.stringMatching(/^platon-db: team_database_number_00, .*, team_database_number_08, \(\+31 more\)$/)],
    ['a long baseline text', { baseline: 'x'.repeat(300), usedBy: many }, expect.stringMatching(/^platon-db: baseline x{97}\.\.\.; team_database_number_00, .* \(\+\d+ more\)$/)],
  ])('%s', (_name, users, expected) => {
    const text = ruleDescription(users);
    expect(text).toEqual(expected);
    expect(text.length).toBeLessThanOrEqual(AWS_MAX_DESCRIPTION);
    expect(text).toMatch(ALLOWED);
  });

  it('keeps a description of exactly 255 characters and shortens one of 256', () => {
    const prefix = 'platon-db: ';
    const exact = ruleDescription({ usedBy: ['a'.repeat(255 - prefix.length)] });
    expect(exact).toBe(`${prefix}${'a'.repeat(244)}`);
    expect(exact).toHaveLength(255);
    const over = ruleDescription({ usedBy: ['a'.repeat(256 - prefix.length)] });
    expect(over).toBe('platon-db: (+1 more)');
  });

  it('cleans text into the allowed character set', () => {
    expect(cleanDescription('  tabs\tand\nnewlines "quoted" ')).toBe('tabs and newlines -quoted-');
  });
});
