/** The test helpers themselves: names, cleanup, and "cannot connect" that never hides a broken setup. */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { adminUrl, canConnect, dropPrefixed, uniquePrefix, withClient } from '../support/postgres.js';

describe('test helpers', () => {
  it('give each test file its own valid name prefix', () => {
    const a = uniquePrefix('/x/test/integration/Some-Thing.test.ts');
    expect(a).toMatch(/^t_some_thing_[0-9a-f]{6}$/);
    expect(uniquePrefix(import.meta.url)).toMatch(/^t_harness_[0-9a-f]{6}$/);
    expect(uniquePrefix('/x/a-very-long-test-file-name-indeed-yes.test.ts').length).toBeLessThanOrEqual(30);
    expect(a).not.toBe(uniquePrefix('/x/test/integration/Some-Thing.test.ts'));
  });

  it('drop the databases and roles of a prefix, and only those', async () => {
    const prefix = uniquePrefix(import.meta.url);
    // Matches the prefix if its underscores were LIKE wildcards: it must survive.
    const decoy = `${prefix.replaceAll('_', 'x')}_role`;
    const id = pg.escapeIdentifier;
    await withClient(adminUrl(), async (c) => {
      await c.query(`CREATE ROLE ${id(`${prefix}_owner`)}`);
      await c.query(`GRANT ${id(`${prefix}_owner`)} TO CURRENT_USER`);
      await c.query(`CREATE DATABASE ${id(`${prefix}_db`)} OWNER ${id(`${prefix}_owner`)}`);
      await c.query(`CREATE ROLE ${id(decoy)}`);
    });
    await dropPrefixed(prefix);
    const left = await withClient(adminUrl(), async (c) =>
      (await c.query(`SELECT rolname AS name FROM pg_roles WHERE rolname IN ($1, $2, $3)
                      UNION ALL SELECT datname FROM pg_database WHERE datname = $4`,
        [`${prefix}_owner`, decoy, `${prefix}_db`, `${prefix}_db`])).rows.map((r) => r.name),
    );
    expect(left).toEqual([decoy]);
    await dropPrefixed(decoy);
  });

  it('report a refused login as false, but throw when the server is unreachable', async () => {
    expect(await canConnect({ user: 'no_such_role', password: 'x', database: 'postgres' })).toBe(false);
    const url = new URL(adminUrl());
    url.port = '1';
    await expect(withClient(url.href, async () => undefined)).rejects.toThrow(/ECONNREFUSED/);
  });
});
