/**
 * Privilege drift on team roles is planned and applied away (issue 13, item 3), on PostgreSQL 15
 * as the RDS-like admin (NOSUPERUSER CREATEDB CREATEROLE, member of rds_superuser). Each grant is
 * what a Platon engineer's mistake, a compromised admin path, or the team's own login can do; the
 * plan names it, apply takes it away, and the plan after apply is empty. What the model gives the
 * roles (rw in owner, the admin in owner) stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/change.js';
import { spec } from '../support/states.js';
import { harness, type Harness } from '../support/applier.js';
import { dropPrefixed, superuserUrl, uniquePrefix, withClient } from '../support/postgres.js';

const prefix = uniquePrefix(import.meta.url);
const shop = spec(`${prefix}_shop`);
const wiki = spec(`${prefix}_wiki`);
const specs = [shop, wiki];
const [shopOwner, shopRw, shopRo] = ['owner', 'rw', 'ro'].map((k) => `${shop.name}_${k}`) as [string, string, string];
const [wikiOwner, wikiRw] = [`${wiki.name}_owner`, `${wiki.name}_rw`];

let h: Harness;
let admin: string;

/** Direct memberships (group, member) involving `roles`, as pg_auth_members has them. */
async function memberships(...roles: string[]): Promise<string[]> {
  const rows = await h.admin<{ pair: string }>(
    `SELECT g.rolname || ' <- ' || m.rolname AS pair FROM pg_auth_members a
       JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
      WHERE g.rolname IN (${roles.map((r) => `'${r}'`).join(', ')}) OR m.rolname IN (${roles.map((r) => `'${r}'`).join(', ')})
      ORDER BY 1`,
  );
  return rows.map((r) => r.pair);
}

const revokes = (plan: Plan) => plan.changes.filter((c) => c.change.kind === 'revoke-membership').map((c) => c.statements.map((s) => s.sql).join('; '));

/** Plans, checks the plan holds exactly `expected` SQL for the drift, applies, and plans again. */
async function plannedAndFixed(expected: string[], select: (plan: Plan) => string[] = revokes): Promise<void> {
  const plan = await h.plan(specs);
  expect(plan.errors).toEqual([]);
  expect(select(plan).sort()).toEqual([...expected].sort());
  const { result } = await h.apply(specs);
  expect(result.failed).toBeUndefined();
  const after = await h.plan(specs);
  expect(after.changes.map((c) => c.summary)).toEqual([]);
}

beforeAll(async () => {
  h = await harness({ scope: prefix });
  admin = (await h.admin<{ admin: string }>('SELECT current_user AS admin'))[0]!.admin;
  const { plan, result } = await h.apply(specs);
  if (plan.errors.length > 0 || result.failed) throw new Error(JSON.stringify({ errors: plan.errors, failed: result.failed }));
}, 60_000);
afterAll(() => dropPrefixed(prefix));

describe('memberships a team role must not have, granted by the admin', () => {
  // PostgreSQL 15, "Predefined Roles": pg_read_all_data reads every table of every database,
  // pg_write_all_data writes them, pg_signal_backend ends other roles' sessions, pg_monitor reads
  // every session's queries; rds_superuser is RDS's administrator group (here a stand-in made by
  // test/support's bootstrap, as bootstrap-rds-like.ts does). Another team's owner role owns that
  // team's database. The RDS master can grant all of them (CREATEROLE, PostgreSQL 15).
  const groups = ['rds_superuser', 'pg_read_all_data', 'pg_write_all_data', 'pg_signal_backend', 'pg_monitor'];
  it.each(groups)('%s granted to the read/write user is planned as a revoke, and apply revokes it', async (group) => {
    await h.admin(`GRANT ${group} TO ${shopRw}`);
    await plannedAndFixed([`REVOKE "${group}" FROM "${shopRw}"`]);
    expect(await memberships(group)).not.toContain(`${group} <- ${shopRw}`);
  });

  it("another team's owner role granted to the owner role: revoked once (it is drift of both databases)", async () => {
    await h.admin(`GRANT ${wikiOwner} TO ${shopOwner}`);
    const plan = await h.plan(specs);
    expect(plan.changes.filter((c) => c.change.kind === 'revoke-membership').map((c) => c.summary)).toEqual([
      `revoke unexpected membership of ${shopOwner} in ${wikiOwner}`,
    ]);
    await plannedAndFixed([`REVOKE "${wikiOwner}" FROM "${shopOwner}"`]);
  });

  it('the admin role granted to the read-only user is revoked', async () => {
    await h.admin(`GRANT "${admin}" TO ${shopRo}`);
    await plannedAndFixed([`REVOKE "${admin}" FROM "${shopRo}"`]);
  });

  it('keeps what the role model grants: rw in owner, the admin in owner', async () => {
    expect(await memberships(shopOwner, shopRw, shopRo)).toEqual([`${shopOwner} <- ${admin}`, `${shopOwner} <- ${shopRw}`]);
  });
});

describe('attributes a team role must not have', () => {
  // CREATEROLE on PostgreSQL 15 may grant membership in any non-superuser role: the team could
  // make itself a member of another team's owner role. CREATEDB makes databases outside platon-db.
  const alterRoles = (plan: Plan) => plan.changes.filter((c) => c.change.kind === 'alter-role').map((c) => c.statements[0]!.sql);
  it('CREATEDB on the owner role and CREATEROLE on the read/write user are planned away and removed', async () => {
    await h.admin(`ALTER ROLE ${shopOwner} CREATEDB`);
    await h.admin(`ALTER ROLE ${shopRw} CREATEROLE CREATEDB`);
    await plannedAndFixed([`ALTER ROLE "${shopOwner}" NOCREATEDB`, `ALTER ROLE "${shopRw}" NOCREATEDB NOCREATEROLE`], alterRoles);
    const rows = await h.admin<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE '${prefix}%' AND (rolcreatedb OR rolcreaterole)`);
    expect(rows[0]!.n).toBe(0);
  });

  // Only a superuser may set or clear REPLICATION and BYPASSRLS (PostgreSQL 15, ALTER ROLE: "must
  // be superuser to change bypassrls attribute"): seen here through the test server's superuser.
  it.skipIf(!superuserUrl())('BYPASSRLS or REPLICATION, which the admin cannot remove, stops the plan for that database with a clear error', async () => {
    await withClient(superuserUrl()!, (c) => c.query(`ALTER ROLE ${shopRw} BYPASSRLS REPLICATION`));
    try {
      const plan = await h.plan(specs);
      expect(plan.errors.map((e) => [e.code, e.database])).toEqual([['role.superuser-privilege', shop.name]]);
      expect(plan.errors[0]!.message).toContain(`role ${shopRw} has REPLICATION, BYPASSRLS, which only a superuser can give or take away`);
      expect(plan.changes.filter((c) => c.change.database === shop.name)).toEqual([]);
    } finally {
      await withClient(superuserUrl()!, (c) => c.query(`ALTER ROLE ${shopRw} NOBYPASSRLS NOREPLICATION`));
    }
    expect((await h.plan(specs)).errors).toEqual([]);
  });
});

describe("what the team's own login can do", () => {
  // Before PostgreSQL 16 a role could administer itself; PostgreSQL 15.18 (the embedded server)
  // answers "must have admin option on role", as RDS's 15 does: a team login hands out no role,
  // its own included, and takes none. Were that to change, the revokes above would cover it.
  it('can neither give its roles to another team nor take another team\'s or a predefined role', async () => {
    const rw = await h.connectAs(shopRw, shop.name, await h.passwordOf(shop.name, 'rw'));
    try {
      for (const as of ['SET ROLE NONE', 'RESET ROLE']) {
        await rw.query(as);
        for (const grant of [`GRANT ${shopRw} TO ${wikiRw}`, `GRANT ${shopOwner} TO ${wikiRw}`, `GRANT ${wikiOwner} TO ${shopRw}`, `GRANT pg_read_all_data TO ${shopRw}`]) {
          await expect(rw.query(grant), `${as}; ${grant}`).rejects.toMatchObject({ code: '42501' });
        }
      }
    } finally {
      await rw.end();
    }
    expect(await memberships(shopRw)).toEqual([`${shopOwner} <- ${shopRw}`]);
  });
});
