/**
 * A team keeps a transaction open on its own table. Without a bound on the admin's lock waits,
 * the next apply that must GRANT on that table (here: the team asks for a read-only user) waits
 * for as long as the team likes, holding the instance's apply lock: every other team's changes
 * wait too. The admin's sessions pin lock_timeout (PLATON_LOCK_WAIT, 1 s here), and a failure
 * inside one team database leaves that database for the next run while the others go on.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseYaml, storedPassword, writeLocalRepo } from '../support/local-repo.js';
import { adminUrl, dropPrefixed, uniquePrefix, urlAs, withClient } from '../support/postgres.js';
import { runCli } from '../support/run-cli.js';

const prefix = uniquePrefix(import.meta.url);
const instance = `tl-${prefix.slice(-6)}`;
const holder = `${prefix}_a_holder`; // sorts first: its failure comes before the bystander's changes
const bystander = `${prefix}_z_by`;
afterAll(() => dropPrefixed(prefix));

const env = { PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: 'c0ffee', PLATON_LOCK_WAIT: '1' };

describe('a team holding a lock in its own database', () => {
  it("cannot stall the apply: its database is left for the next run, the others' changes go through, exit 1 naming it", async () => {
    const root = await writeLocalRepo(instance, [
      { name: holder, readOnly: false },
      { name: bystander, readOnly: false },
    ]);
    const cli = (...args: string[]) => runCli([...args, '--root', root], { cwd: root, env });
    expect((await cli('apply', '--auto-approve')).code).toBe(0);

    // The team alters its table and does not commit: the table's catalog row stays locked.
    const team = new pg.Client({ connectionString: urlAs({ user: `${holder}_rw`, password: await storedPassword(root, instance, holder), database: holder }) });
    team.on('error', () => undefined);
    await team.connect();
    try {
      await team.query('CREATE TABLE public.orders (id int)');
      await team.query('BEGIN');
      await team.query('ALTER TABLE public.orders ADD COLUMN note text');

      // Both teams ask for a read-only user: GRANT SELECT on their tables, inside each database.
      await writeFile(join(root, 'databases', `${holder}.yaml`), databaseYaml({ name: holder, readOnly: true }));
      await writeFile(join(root, 'databases', `${bystander}.yaml`), databaseYaml({ name: bystander, readOnly: true, extensions: ['citext'] }));
      const applied = await cli('apply', '--auto-approve');
      expect(applied.code, applied.out + applied.err).toBe(1);
      expect(applied.err).toMatch(new RegExp(`^Not applied to database ${holder}: .+ failed: canceling statement due to lock timeout$`, 'm'));
      expect(applied.err).not.toContain(bystander);
      expect(applied.err).not.toMatch(/\bat .*\.ts:\d+/);

      // The bystander got everything it asked for.
      const ro = await storedPassword(root, instance, bystander, 'ro');
      await withClient(urlAs({ user: `${bystander}_ro`, password: ro, database: bystander }), async (c) => {
        expect((await c.query(`SELECT extname FROM pg_extension WHERE extname = 'citext'`)).rowCount).toBe(1);
      });
      const plan = await cli('plan', '--detailed-exitcode');
      expect(plan.out).not.toContain(`in database ${bystander}`);
    } finally {
      await team.query('ROLLBACK').catch(() => undefined);
      await team.end();
    }

    // The team let go: the next apply finishes the holder's database, and then there is nothing to do.
    const again = await cli('apply', '--auto-approve');
    expect(again.code, again.out + again.err).toBe(0);
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('PLATON_LOCK_WAIT that is not a number of seconds is a usage error, before anything connects', async () => {
    const root = await writeLocalRepo(instance, [{ name: `${prefix}_none` }]);
    const r = await runCli(['plan', '--root', root], { cwd: root, env: { ...env, PLATON_LOCK_WAIT: '5min' } });
    expect(r.code).toBe(2);
    expect(r.err).toContain('PLATON_LOCK_WAIT must be a whole number of seconds');
  });
});
