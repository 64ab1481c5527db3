/** `platon-db report` against the test server: live sizes, sessions and limits, in JSON and HTML. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempRepository } from '../support/cli.js';
import { adminUrl, connect, dropPrefixed } from '../support/postgres.js';

const DB = 'rp_shop';
const LAB = 'rp_lab';
const lab = `name: ${LAB}\nteam: labs\nproject: Lab\ncontact: lab@example.org\nconnectionLimit: 5\naccess:\n  external:\n    - cidr: 81.91.101.0/28\n      description: Lab kiosks\n`;
let root: string;
beforeAll(async () => {
  root = tempRepository({
    [`databases/${DB}.yaml`]: `# yaml-language-server: $schema=../schema/database.schema.json\nname: ${DB}\nteam: shop-team\nproject: Shop\ncontact: shop@example.org\nusers:\n  readOnly: true\nconnectionLimit: 7\nextensions: [citext]\n`,
    [`databases/${LAB}.yaml`]: lab,
  });
  expect((await cli(['apply', '--root', root, '--instance', 'local', '--auto-approve'])).code).toBe(0);
  // Retired by a second apply, as a team does it: its users become NOLOGIN and its rule goes.
  writeFileSync(join(root, 'databases', `${LAB}.yaml`), `${lab}state: retired\n`);
  const retire = await cli(['apply', '--root', root, '--instance', 'local', '--auto-approve']);
  expect(retire.code, retire.out + retire.err).toBe(0);
});
afterAll(() => dropPrefixed('rp_'));

describe('platon-db report', () => {
  it('reports the live size, sessions, limits and extensions of each database', async () => {
    const session = await connect(new URL(`/${DB}`, adminUrl()).href);
    try {
      const r = await cli(['report', '--root', root, '--instance', 'local', '--format', 'json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.out);
      expect(report.formatVersion).toBe('platon-db.report.v1');
      const shop = report.databases.find((d: { name: string }) => d.name === DB);
      expect(shop).toMatchObject({ team: 'shop-team', state: 'active', connectionLimit: 14, extensions: ['citext'] });
      expect(shop.connections).toBeGreaterThanOrEqual(1);
      expect(shop.sizeBytes).toBeGreaterThan(1_000_000);
      expect(report.maxConnections).toBeGreaterThan(report.reservedConnections);
      expect(report.databases.some((d: { name: string }) => d.name === 'postgres')).toBe(false);
    } finally {
      await session.end();
    }
  });

  // After retiring, PostgreSQL refuses its users' logins (NOLOGIN, CONNECT revoked) and the
  // allowlist holds no rule for it: the report must not offer its network or its slots.
  it('shows a retired database without its network and its connection slots as unusable', async () => {
    const json = await cli(['report', '--root', root, '--instance', 'local', '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out);
    expect(report.databases.find((d: { name: string }) => d.name === LAB)).toMatchObject({ state: 'retired', connectionLimit: 5, slotsUnusable: true, externalNetworks: [] });
    expect(report.totals.unusableConnectionLimits).toBeGreaterThanOrEqual(5);
    const text = await cli(['report', '--root', root, '--instance', 'local']);
    expect(text.out).toMatch(new RegExp(`^${LAB} +labs +retired +\\S+ \\S+ +0 / 5 unusable \\(logins off\\) +- +-$`, 'm'));
    expect(text.out).not.toContain('Lab kiosks');
  });

  it('writes the HTML page to a file', async () => {
    const out = join(root, 'capacity.html');
    const r = await cli(['report', '--root', root, '--instance', 'local', '--format', 'html', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(readFileSync(out, 'utf8')).toContain(`data-database="${DB}"`);
  });
});
