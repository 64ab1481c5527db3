import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapRdsLike } from '../../src/adapters/postgres/bootstrap-rds-like.js';
import { canConnect, dropPrefixed, superuserUrl, uniquePrefix, withClient } from '../support/postgres.js';

const prefix = uniquePrefix(import.meta.url);
afterAll(() => dropPrefixed(prefix));

describe.skipIf(!superuserUrl())('bootstrapRdsLike', () => {
  it('is idempotent, and a second run sets the new password', async () => {
    const user = `${prefix}_admin`;
    await withClient(superuserUrl()!, async (c) => {
      await bootstrapRdsLike(c, { user, password: 'first-Password-1' });
      await bootstrapRdsLike(c, { user, password: 'second-Password-2' });
    });
    expect(await canConnect({ user, password: 'first-Password-1', database: 'postgres' })).toBe(false);
    expect(await canConnect({ user, password: 'second-Password-2', database: 'postgres' })).toBe(true);
    const roles = await withClient(superuserUrl()!, async (c) =>
      (await c.query("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname IN ('rds_superuser', 'rdsadmin') ORDER BY 1")).rows,
    );
    expect(roles).toEqual([
      { rolname: 'rds_superuser', rolcanlogin: false },
      { rolname: 'rdsadmin', rolcanlogin: false },
    ]);
  });
});
