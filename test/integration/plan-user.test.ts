/**
 * Pull-request plans without the admin's password: the instance's read-only plan role gets
 * CONNECT on every managed database and plans exactly what the admin would, but cannot apply
 * and cannot read the team's data.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, REPO, withoutLockWait } from '../support/cli.js';
import { adminUrl, canConnect, urlAs, withClient } from '../support/postgres.js';

const PLANNER = { user: 'pu_planner', password: 'PlannerPassword0123456789abcdefgh' };

let root: string;
const run = (args: string[], url: string) => cli(args, { PLATON_DATABASE_URL: url, PLATON_COMMIT: 'feedbeef' });
const plannerUrl = () => urlAs({ ...PLANNER, database: 'postgres' });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'platon-db-planuser-'));
  cpSync(join(REPO, 'instances'), join(root, 'instances'), { recursive: true });
  const local = readFileSync(join(root, 'instances/local.yaml'), 'utf8');
  writeFileSync(join(root, 'instances/local.yaml'), local.replace('  adminUser: platon_admin\n', `  adminUser: platon_admin\n  planUser: ${PLANNER.user}\n`));
  mkdirSync(join(root, 'databases'));
  writeFileSync(
    join(root, 'databases/pu_shop.yaml'),
    'name: pu_shop\nteam: shop\nproject: Shop\ncontact: shop@example.org\nusers:\n  readOnly: true\nextensions: [citext]\n',
  );
  await withClient(adminUrl(), (c) => c.query(`CREATE ROLE ${PLANNER.user} LOGIN PASSWORD '${PLANNER.password}'`));
});

describe('the plan role', () => {
  it('is granted CONNECT by the apply, and then plans empty exactly as the admin does', async () => {
    const applied = await run(['apply', '--root', root, '--instance', 'local', '--auto-approve'], adminUrl());
    expect(withoutLockWait(applied.err)).toBe('');
    expect(applied.out).toContain('allow pu_planner to connect to pu_shop');
    expect(await canConnect({ ...PLANNER, database: 'pu_shop' })).toBe(true);
    const asPlanner = await run(['plan', '--root', root, '--instance', 'local', '--detailed-exitcode'], plannerUrl());
    expect(asPlanner.err).toBe('');
    expect(asPlanner.out).toContain('No changes.');
    expect(asPlanner.code).toBe(0);
  });

  it('sees drift as the admin would, planned for the admin', async () => {
    await withClient(urlAs({ user: 'platon_admin', password: new URL(adminUrl()).password, database: 'pu_shop' }), async (c) => {
      await c.query('ALTER ROLE pu_shop_rw CONNECTION LIMIT 99');
      await c.query('SET ROLE pu_shop_owner');
      await c.query('CREATE TABLE orders (id int)');
      await c.query('REVOKE SELECT ON orders FROM pu_shop_ro');
    });
    const asPlanner = await run(['plan', '--root', root, '--instance', 'local', '--format', 'json'], plannerUrl());
    const asAdmin = await run(['plan', '--root', root, '--instance', 'local', '--format', 'json'], adminUrl());
    expect(asPlanner.out).toBe(asAdmin.out);
    const kinds = JSON.parse(asPlanner.out).changes.map((c: { kind: string }) => c.kind);
    expect(kinds).toEqual(['grant-schema-read', 'alter-role', 'set-marker']);
    expect(asPlanner.out).not.toContain('grant-membership');
  });

  it('cannot read the team’s tables or apply', async () => {
    await expect(withClient(urlAs({ ...PLANNER, database: 'pu_shop' }), (c) => c.query('SELECT * FROM orders'))).rejects.toThrow(/permission denied/);
    const apply = await run(['apply', '--root', root, '--instance', 'local', '--auto-approve'], plannerUrl());
    expect(apply.code).toBe(1);
    expect(apply.err).toContain('pu_planner is the plan role of instance local: it can plan but not apply');
    expect(apply.out + apply.err).not.toContain(PLANNER.password);
  });
});
