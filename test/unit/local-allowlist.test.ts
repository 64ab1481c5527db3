/**
 * The in-memory twin and the file-backed allowlist keep the promises of the EC2 adapter
 * (idempotent calls, quotas, AWS's description rules), so plan/apply tests on them mean something.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Allowlist } from '../../src/model/allowlist.js';
import { FileAllowlist } from '../../src/adapters/local/file-allowlist.js';
import { MemoryAllowlist } from '../../src/adapters/local/memory-allowlist.js';

const groups = { groupIds: ['sg-a', 'sg-b'], rulesPerGroup: 2 };
const shop = { groupId: 'sg-a', cidr: '192.0.2.0/28', port: 5432, description: 'platon-db: shop' };
const tempFile = async () => join(await mkdtemp(join(tmpdir(), 'platon-db-allowlist-')), '.platon', 'allowlist.json');

const kinds: [string, () => Promise<Allowlist>][] = [
  ['memory', async () => new MemoryAllowlist(groups)],
  ['file', async () => new FileAllowlist({ ...groups, path: await tempFile() })],
];

describe.each(kinds)('%s allowlist', (_kind, make) => {
  it('authorizes once per network, port and group, with a rule id', async () => {
    const allowlist = await make();
    await allowlist.authorize(shop);
    await allowlist.authorize({ ...shop, description: 'platon-db: other text, same rule' });
    await allowlist.authorize({ ...shop, groupId: 'sg-b' });
    const rules = await allowlist.list();
    expect(rules.map((r) => [r.groupId, r.cidr, r.protocol, r.fromPort, r.toPort, r.description])).toEqual([
      ['sg-a', '192.0.2.0/28', 'tcp', 5432, 5432, 'platon-db: shop'],
      ['sg-b', '192.0.2.0/28', 'tcp', 5432, 5432, 'platon-db: shop'],
    ]);
    expect(rules.map((r) => r.ruleId)).toEqual(['sgr-00000000000000001', 'sgr-00000000000000002']);
  });

  it('changes a description, and refuses one for a rule that is gone', async () => {
    const allowlist = await make();
    await allowlist.authorize(shop);
    const [rule] = await allowlist.list();
    await allowlist.setDescription({ ...shop, ruleId: rule!.ruleId, description: 'platon-db: shop, wiki' });
    expect((await allowlist.list())[0]?.description).toBe('platon-db: shop, wiki');
    await allowlist.revoke({ groupId: 'sg-a', ruleId: rule!.ruleId });
    await allowlist.revoke({ groupId: 'sg-a', ruleId: rule!.ruleId });
    expect(await allowlist.list()).toEqual([]);
    await expect(allowlist.setDescription({ ...shop, ruleId: rule!.ruleId })).rejects.toThrow('InvalidSecurityGroupRuleId.NotFound');
  });

  it('holds rulesPerGroup per IP family, as AWS does', async () => {
    const allowlist = await make();
    await allowlist.authorize({ ...shop, cidr: '192.0.2.0/32' });
    await allowlist.authorize({ ...shop, cidr: '192.0.2.1/32' });
    await allowlist.authorize({ ...shop, cidr: '2001:db8::/48' });
    await expect(allowlist.authorize({ ...shop, cidr: '192.0.2.2/32' })).rejects.toThrow('RulesPerSecurityGroupLimitExceeded');
  });

  it("refuses what AWS refuses: descriptions outside its rules, unknown groups", async () => {
    const allowlist = await make();
    await expect(allowlist.authorize({ ...shop, description: 'platon-db: Büro' })).rejects.toThrow('InvalidParameterValue');
    await expect(allowlist.authorize({ ...shop, description: `platon-db: ${'x'.repeat(250)}` })).rejects.toThrow('InvalidParameterValue');
    await expect(allowlist.authorize({ ...shop, groupId: 'sg-x' })).rejects.toThrow('InvalidGroup.NotFound');
  });
});

describe('file allowlist', () => {
  it('keeps its rules and ids across instances', async () => {
    const path = await tempFile();
    await new FileAllowlist({ ...groups, path }).authorize(shop);
    const again = new FileAllowlist({ ...groups, path });
    await again.authorize({ ...shop, cidr: '2001:db8::/48' });
    expect((await again.list()).map((r) => r.ruleId)).toEqual(['sgr-00000000000000001', 'sgr-00000000000000002']);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ nextId: 3 });
  });

  it('is empty before the first rule, and says what to do with a broken file', async () => {
    const path = await tempFile();
    expect(await new FileAllowlist({ ...groups, path }).list()).toEqual([]);
    await new FileAllowlist({ ...groups, path }).authorize(shop);
    await writeFile(path, '{ not json');
    await expect(new FileAllowlist({ ...groups, path }).list()).rejects.toThrow(/cannot read the local allowlist .*allowlist.json .*delete it to start the rehearsal over/);
  });
});
