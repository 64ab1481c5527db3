/** The pure parts of `platon-db audit`: field changes, PR numbers from subjects, approvals, findings. */
import { describe, expect, it } from 'vitest';
import { fieldChanges } from '../../src/audit/yaml-changes.js';
import { pullRequestNumber } from '../../src/audit/pull-request-number.js';
import { approvers } from '../../src/audit/approvals.js';
import { auditFindings } from '../../src/audit/findings.js';
import type { AuditEntry, DatabaseAudit } from '../../src/model/audit.js';
import { addedBy, ruleUsers } from '../../src/audit/allowlist-rules.js';
import { ruleDescription } from '../../src/diff/allowlist-description.js';

const net = (cidr: string, description: string) => ({ cidr, description });

describe('fieldChanges', () => {
  it.each([
    ['nothing', { a: 1 }, { a: 1 }, []],
    ['a scalar', { connectionLimit: 20 }, { connectionLimit: 40 }, [{ kind: 'changed', path: 'connectionLimit', from: '20', to: '40' }]],
    ['a nested scalar', { users: { readOnly: true } }, { users: { readOnly: false } }, [{ kind: 'changed', path: 'users.readOnly', from: 'true', to: 'false' }]],
    [
      'names as a set, order ignored',
      { extensions: ['pg_trgm', 'citext'] },
      { extensions: ['citext', 'hstore'] },
      [
        { kind: 'removed', path: 'extensions', value: 'pg_trgm' },
        { kind: 'added', path: 'extensions', value: 'hstore' },
      ],
    ],
    [
      'networks by CIDR, with their descriptions',
      { access: { external: [net('81.91.101.0/28', 'A'), net('91.198.174.0/24', 'B')] } },
      { access: { external: [net('91.198.174.0/24', 'B'), net('2a0e:1c80:9::/48', 'C')] } },
      [
        { kind: 'removed', path: 'access.external', value: '81.91.101.0/28 (A)' },
        { kind: 'added', path: 'access.external', value: '2a0e:1c80:9::/48 (C)' },
      ],
    ],
    [
      'a network whose description changed',
      { access: { external: [net('81.91.101.0/28', 'A')] } },
      { access: { external: [net('81.91.101.0/28', 'Partner A')] } },
      [{ kind: 'changed', path: 'access.external[81.91.101.0/28].description', from: 'A', to: 'Partner A' }],
    ],
    [
      'a section that appears lists what it holds',
      { name: 'x' },
      { name: 'x', access: { external: [net('81.91.101.0/28', 'A')] } },
      [{ kind: 'added', path: 'access.external', value: '81.91.101.0/28 (A)' }],
    ],
    ['a field that goes', { backup: { retentionDays: 30 } }, {}, [{ kind: 'removed', path: 'backup.retentionDays', value: '30' }]],
    ['a type change', { extensions: 'pg_trgm' }, { extensions: ['pg_trgm'] }, [{ kind: 'changed', path: 'extensions', from: 'pg_trgm', to: '["pg_trgm"]' }]],
  ])('%s', (_name, before, after, expected) => {
    expect(fieldChanges(before, after)).toEqual(expected);
  });

  it('a new file is all additions, a deleted one all removals', () => {
    expect(fieldChanges(null, { name: 'x', extensions: ['a'] })).toEqual([
      { kind: 'added', path: 'name', value: 'x' },
      { kind: 'added', path: 'extensions', value: 'a' },
    ]);
    expect(fieldChanges({ name: 'x' }, null)).toEqual([{ kind: 'removed', path: 'name', value: 'x' }]);
  });
});

describe('pullRequestNumber', () => {
  it.each([
    ['Merge pull request #12 from platon/order-shop', 12],
    ['Give partner B access (#7)', 7],
    ['Give partner B access (#7) ', 7],
    ['Fix #7 in the docs', undefined],
    ['Revert "Give partner B access (#7)"', undefined],
    ['Merge branch main into feature', undefined],
  ])('%j -> %s', (subject, expected) => {
    expect(pullRequestNumber(subject)).toBe(expected);
  });
});

describe('approvers', () => {
  it('counts each reviewer\'s latest decisive review', () => {
    expect(
      approvers([
        { user: 'frank', state: 'APPROVED' },
        { user: 'frank', state: 'COMMENTED' }, // a comment does not withdraw an approval
        { user: 'grace', state: 'APPROVED' },
        { user: 'grace', state: 'CHANGES_REQUESTED' },
        { user: 'heidi', state: 'APPROVED' },
        { user: 'heidi', state: 'DISMISSED' },
        { user: 'ivan', state: 'PENDING' },
        { user: 'alice', state: 'APPROVED' },
      ]),
    ).toEqual(['alice', 'frank']);
  });
});

describe('auditFindings', () => {
  const entry = (over: Partial<AuditEntry>): AuditEntry => ({
    sha: 'a'.repeat(40),
    date: '2025-01-02T00:00:00Z',
    subject: 's',
    kind: 'changed',
    authors: [{ name: 'A', email: 'a@x' }],
    changes: [],
    ...over,
  });
  const database = (over: Partial<DatabaseAudit>): DatabaseAudit => ({ name: 'shop', file: 'databases/shop.yaml', history: [], ...over });

  it('flags live objects main cannot account for', () => {
    const live = [
      { kind: 'database' as const, name: 'shop', file: 'databases/shop.yaml', team: 't', commit: 'b'.repeat(40), flags: [] },
      { kind: 'role' as const, name: 'shop_ro', file: 'databases/shop.yaml', team: 't', commit: 'c'.repeat(40), flags: ['not-on-main' as const] },
      { kind: 'role' as const, name: 'shop_rw', file: 'databases/shop.yaml', team: 't', commit: 'unknown', flags: ['unknown-commit' as const, 'no-file' as const] },
    ];
    expect(auditFindings([database({ live })], 'main', true).map((f) => f.message)).toEqual([
      'role shop_ro: last applied from cccccccccccc, which is not on main',
      'role shop_rw: last applied from an unknown commit, which this clone does not have',
      'role shop_rw: managed, but databases/shop.yaml is not on main',
    ]);
  });

  it('flags changes without a pull request, or one nobody approved', () => {
    const history = [
      entry({ pullRequest: { number: 1, approvers: ['carol'] } }),
      entry({ pullRequest: { number: 2, approvers: [] } }),
      entry({ pullRequest: { number: 3 } }), // not looked up: no verdict
      entry({}),
    ];
    expect(auditFindings([database({ history })], 'main', true).map((f) => [f.code, f.message])).toEqual([
      ['not-approved', 'aaaaaaaaaaaa (2025-01-02T00:00:00Z) came through pull request #2, which nobody approved'],
      ['no-pull-request', 'aaaaaaaaaaaa (2025-01-02T00:00:00Z) changed databases/shop.yaml on main: GitHub knows no pull request for it'],
    ]);
    expect(auditFindings([database({ history: [entry({})] })], 'main', false)[0]?.message).toContain('its subject names no pull request (GitHub was not asked)');
  });
});

describe('allowlist rules in the audit', () => {
  // The description is the only thing an EC2 rule carries besides its network and ports, so the
  // databases are read back from what ruleDescription wrote, including AWS's 255-character cut.
  it.each([
    [{ usedBy: ['shop', 'wiki'] }, { baseline: false, databases: ['shop', 'wiki'], truncated: false }],
    [{ baseline: 'Office, VPN', usedBy: [] }, { baseline: true, databases: [], truncated: false }],
    [{ baseline: 'Office, VPN', usedBy: ['shop'] }, { baseline: true, databases: ['shop'], truncated: false }],
    [{ usedBy: Array.from({ length: 40 }, (_, i) => `database_number_${i}`) }, { baseline: false, truncated: true }],
  ])('reads the users back from %j', (users, expected) => {
    expect(ruleUsers(ruleDescription(users))).toMatchObject(expected);
  });

  const at = (sha: string, date: string, changes: AuditEntry['changes']): AuditEntry => ({ sha, date, subject: sha, kind: 'changed', authors: [], changes });
  it('takes the latest commit that added the network: a removal and re-adding means the rule comes from the second', () => {
    const history = [
      at('first', '2025-01-01T00:00:00Z', [{ kind: 'added', path: 'access.external', value: '192.0.2.0/28 (Partner)' }]),
      at('gone', '2025-02-01T00:00:00Z', [{ kind: 'removed', path: 'access.external', value: '192.0.2.0/28 (Partner)' }]),
      at('again', '2025-03-01T00:00:00Z', [{ kind: 'added', path: 'access.external', value: '192.0.2.0/28' }]),
      at('other', '2025-04-01T00:00:00Z', [{ kind: 'added', path: 'access.external', value: '192.0.2.16/28' }]),
    ];
    expect(addedBy('192.0.2.0/28', [{ file: 'databases/shop.yaml', history }])?.entry.sha).toBe('again');
    // A baseline network in the instance file counts; the same CIDR elsewhere in a file does not.
    const instance = [at('base', '2025-05-01T00:00:00Z', [{ kind: 'added', path: 'baselineNetworks', value: '198.51.100.0/24 (Office)' }])];
    expect(addedBy('198.51.100.0/24', [{ file: 'instances/shared.yaml', history: instance }])?.file).toBe('instances/shared.yaml');
    expect(addedBy('192.0.2.0/28', [{ file: 'x', history: [at('n', '2025-01-01T00:00:00Z', [{ kind: 'added', path: 'notes', value: '192.0.2.0/28' }])] }])).toBeUndefined();
  });
});
