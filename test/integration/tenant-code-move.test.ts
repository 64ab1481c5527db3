/**
 * `platon-db move` copies a team's database with pg_restore, and a restore runs the team's code:
 * CHECK constraints on every row copied, index expressions, materialized view queries (PostgreSQL
 * 15 manual, pg_restore; CREATE INDEX; REFRESH MATERIALIZED VIEW). `pg_restore --role` is no wall
 * around that code: SET ROLE keeps the session's login, and "RESET ROLE" returns to it (manual,
 * SET ROLE). So the restore must be logged in as the team, never as the admin. The team plants the
 * attacks as its own login on the source; after the move no new role exists on either server and
 * the team's user is a member of nothing more than before.
 *
 * Its own file: a move needs a second server (role names are server-wide), as in move.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServer } from '../../src/adapters/postgres/embedded.js';
import { pgToolsInstalled } from '../../src/move/copy.js';
import { cli, REPO, tempRepository } from '../support/cli.js';
import { storedPassword } from '../support/local-repo.js';
import { adminUrl, dropPrefixed, uniquePrefix, urlAs, withClient } from '../support/postgres.js';
import { startTestServer } from '../support/test-server.js';

const prefix = uniquePrefix(import.meta.url);
const DB = `${prefix}_m`;
const evilRole = `${prefix}_evil`;
const local = readFileSync(join(REPO, 'instances', 'local.yaml'), 'utf8');
const instance = (name: string, isDefault: boolean) => local.replace('name: local', `name: ${name}`).replace('default: false', `default: ${isDefault}`);
const file = (extra = '') => `name: ${DB}\nteam: shop-team\nproject: Shop\ncontact: shop@example.org\nusers:\n  readOnly: true\n${extra}`;

let beta: EmbeddedServer;
let root: string;
let env: Record<string, string | undefined>;
const run = (...args: string[]) => cli([...args, '--root', root], env);

/** As the team: a function that escapes SET ROLE to the session's login and uses its rights. */
const PLANT = `
CREATE FUNCTION public.evil(tag text) RETURNS boolean LANGUAGE plpgsql AS $evil$
BEGIN
  BEGIN
    RESET ROLE;
    EXECUTE 'CREATE ROLE "${evilRole}" LOGIN CREATEROLE';
    EXECUTE 'GRANT pg_read_all_data TO "${DB}_rw"';
  EXCEPTION WHEN others THEN NULL;
  END;
  RETURN true;
END $evil$;
CREATE TABLE public.items (id int PRIMARY KEY CHECK (public.evil('check')));
INSERT INTO public.items SELECT g FROM generate_series(1, 50) g;
-- An index expression must be IMMUTABLE (a non-volatile function may not run CREATE ROLE itself),
-- but it may call one that is not.
CREATE FUNCTION public.evil_index(id int) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $i$ BEGIN RETURN public.evil('index' || id); END $i$;
CREATE INDEX items_evil ON public.items ((public.evil_index(id)));
CREATE MATERIALIZED VIEW public.report AS SELECT count(*) AS n FROM public.items WHERE public.evil('matview');
CREATE FUNCTION public.evil_trigger() RETURNS trigger LANGUAGE plpgsql AS $t$ BEGIN PERFORM public.evil('trigger'); RETURN NEW; END $t$;
CREATE TRIGGER items_evil BEFORE INSERT ON public.items FOR EACH ROW EXECUTE FUNCTION public.evil_trigger();
-- Not FORCEd, so the owner (and the admin, a member of it) bypasses it; a FORCEd one makes pg_dump
-- and the row counts refuse (row_security = off) instead of running it.
ALTER TABLE public.items ENABLE ROW LEVEL SECURITY;
CREATE POLICY items_evil ON public.items USING (public.evil('policy'));`;

async function escalations(url: string): Promise<{ roles: string[]; memberOf: string[] }> {
  return withClient(url, async (c) => ({
    roles: (await c.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = $1', [evilRole])).rows.map((r) => r.rolname),
    memberOf: (
      await c.query<{ rolname: string }>(
        `SELECT g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = $1 ORDER BY 1`,
        [`${DB}_rw`],
      )
    ).rows.map((r) => r.rolname),
  }));
}

describe.skipIf(!pgToolsInstalled(15))('move runs no team code as the admin (needs pg_dump and pg_restore 15: postgresql-client-15)', () => {
  beforeAll(async () => {
    beta = await startTestServer();
    root = tempRepository({ 'instances/alpha.yaml': instance('alpha', true), 'instances/beta.yaml': instance('beta', false), [`databases/${DB}.yaml`]: file() }, { instances: false });
    env = { PLATON_DATABASE_URL: undefined, PLATON_DATABASE_URL_ALPHA: adminUrl(), PLATON_DATABASE_URL_BETA: beta.adminUrl };
    const applied = await run('apply', '--instance', 'alpha', '--auto-approve');
    if (applied.code !== 0) throw new Error(applied.out + applied.err);
    await withClient(urlAs({ user: `${DB}_rw`, password: await storedPassword(root, 'alpha', DB), database: DB }), (c) => c.query(PLANT));
  }, 120_000);
  afterAll(async () => {
    await dropPrefixed(prefix);
    if (beta) await dropPrefixed(prefix, beta.adminUrl).catch(() => undefined);
    await beta?.stop();
  });

  it('the planted code ran as the team while it planted, and could not escalate', async () => {
    expect(await escalations(adminUrl())).toEqual({ roles: [], memberOf: [`${DB}_owner`] });
  });

  it('copies every row, and neither server has a new role or membership afterwards', async () => {
    writeFileSync(join(root, 'databases', `${DB}.yaml`), file('instance: beta\n'));
    const moved = await run('move', DB, '--to', 'beta', '--from', 'alpha', '--auto-approve');
    expect(moved.code, moved.out + moved.err).toBe(0);
    expect(moved.out).toContain('50 rows');
    expect(await escalations(beta.adminUrl)).toEqual({ roles: [], memberOf: [`${DB}_owner`] });
    expect(await escalations(adminUrl())).toEqual({ roles: [], memberOf: [`${DB}_owner`] });
  });
});
