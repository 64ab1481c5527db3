/**
 * The admin never runs a team's code (issue 13, item 1). A team's roles own its database and its
 * `public` schema, and PostgreSQL resolves unqualified names along search_path: a function of a
 * more exact signature than pg_catalog's wins wherever it is on the path, one of the same
 * signature wins when its schema comes before pg_catalog, and `"$user"` names a schema called like
 * the connected role (PostgreSQL 15 manual, 10.3 "Functions" type resolution, and 5.9.3 "The
 * Schema Search Path"). `ALTER DATABASE ... SET` is the database owner's to use (manual, ALTER
 * DATABASE), so a team can also move the path, or make every session read-only.
 *
 * Every attack here is planted by the team's own login, the read/write user whose password the
 * apply wrote to the secret store, on the RDS-like instance. Each planted function reports that it
 * ran (NOTIFY, which PostgreSQL delivers even from a READ ONLY transaction, and an INSERT into a
 * table the team owns) and tries what a team would want from the admin's rights: a membership in
 * another team's owner role, and a role with CREATEROLE. Then every command that connects into
 * team databases runs, and the test asserts that none of that happened and the plans are right.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { databaseYaml, writeLocalRepo } from '../support/local-repo.js';
import { adminUrl, connect, dropPrefixed, uniquePrefix, urlAs, withClient } from '../support/postgres.js';
import { runCli } from '../support/run-cli.js';

const prefix = uniquePrefix(import.meta.url);
const instance = `tc-${prefix.slice(-6)}`;
const admin = decodeURIComponent(new URL(adminUrl()).username);
/** The other team: its owner role is what an attacker would grant itself. */
const victim = `${prefix}_v`;
/** One attacker database per variant, so one variant cannot hide another. */
const attackers = {
  /** Functions in public with a more exact signature than pg_catalog's: win on the default path. */
  exact: `${prefix}_a`,
  /** A schema named after the admin: `"$user"` comes first on the default path. */
  userSchema: `${prefix}_b`,
  /** ALTER DATABASE SET search_path = public, pg_catalog, catalog-named views, same-signature functions and operators. */
  path: `${prefix}_c`,
  /** ALTER DATABASE SET default_transaction_read_only, statement_timeout, role: settings that would break the admin. */
  settings: `${prefix}_d`,
} as const;
/** Not managed: a database `import` adopts, with the team's code planted before the import reads it. */
const legacy = `${prefix}_l`;
const evilRole = `${prefix}_evil`;
const env = { PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: 'c0ffee' };
let root: string;
let store: FileSecretStore;
/** Team sessions LISTENing in each attacker database; what the planted code reported. */
const listeners: { database: string; client: pg.Client }[] = [];
const heard: string[] = [];
/** Sentinels sent by flushNotifications, resolved when their listener hears them. */
const sentinels = new Map<string, () => void>();

const cli = (...args: string[]) => runCli([...args, '--root', root], { cwd: root, env });
/**
 * The test's own admin session in a team database, for looking: immune to the team's database
 * settings (a 1 ms statement timeout would otherwise hide what is there).
 */
const adminIn = (database: string) => {
  const url = new URL(`/${database}`, adminUrl());
  url.searchParams.set('options', '-c search_path=pg_catalog -c role=none -c statement_timeout=0 -c default_transaction_read_only=off');
  return url.href;
};
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function teamLogin(database: string): Promise<{ user: string; password: string; database: string }> {
  const stored = await store.read(store.refFor(database, 'rw'));
  return { user: stored!.credentials.username, password: stored!.credentials.password, database };
}

/**
 * `schema.evil(tag)`: what a team's function would do when the admin calls it. Each attempt in its
 * own block, so one refusal (a READ ONLY transaction, say) does not stop the others, and the
 * admin's query goes on as if nothing happened: the team wants to stay unseen.
 */
function evilFunction(schema: string, attacker: string): string {
  return `
CREATE FUNCTION ${schema}.evil(tag text) RETURNS boolean LANGUAGE plpgsql AS $evil$
BEGIN
  PERFORM pg_catalog.pg_notify('tenant_code', tag || ' as ' || session_user || '/' || current_user);
  BEGIN INSERT INTO public.tenant_log VALUES (tag, session_user, current_user); EXCEPTION WHEN others THEN NULL; END;
  BEGIN EXECUTE ${lit(`GRANT ${q(`${victim}_owner`)} TO ${q(`${attacker}_rw`)}`)}; EXCEPTION WHEN others THEN NULL; END;
  BEGIN EXECUTE ${lit(`CREATE ROLE ${q(evilRole)} LOGIN CREATEROLE`)}; EXCEPTION WHEN others THEN NULL; END;
  RETURN true;
END $evil$;`;
}
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Functions that run `evil` and then answer as pg_catalog's would, so nothing looks wrong. */
function overloads(schema: string, tag: string): string {
  const wrap = (name: string, args: string, returns: string, call: string) =>
    `CREATE FUNCTION ${schema}.${name}(${args}) RETURNS ${returns} LANGUAGE plpgsql AS $w$ BEGIN PERFORM ${schema}.evil('${tag}:${name}'); RETURN ${call}; END $w$;`;
  return [
    // More exact than pg_catalog's (name, oid, text) for a text role name: chosen on any path that has the schema.
    wrap('has_table_privilege', 'text, oid, text', 'boolean', 'pg_catalog.has_table_privilege($1::name, $2, $3)'),
    wrap('json_build_object', 'text, name, text, text', 'json', 'pg_catalog.json_build_object($1, $2, $3, $4)'),
    wrap('shobj_description', 'oid, text', 'text', 'pg_catalog.shobj_description($1, $2::name)'),
    // The same signatures as pg_catalog's: chosen only when the schema comes first.
    wrap('has_database_privilege', 'name, text, text', 'boolean', 'pg_catalog.has_database_privilege($1, $2, $3)'),
    wrap('has_table_privilege', 'oid, oid, text', 'boolean', 'pg_catalog.has_table_privilege($1, $2, $3)'),
    wrap('has_schema_privilege', 'oid, oid, text', 'boolean', 'pg_catalog.has_schema_privilege($1, $2, $3)'),
    wrap('pg_get_userbyid', 'oid', 'name', 'pg_catalog.pg_get_userbyid($1)'),
    wrap('quote_ident', 'text', 'text', 'pg_catalog.quote_ident($1)'),
    wrap('array_to_string', 'anyarray, text', 'text', 'pg_catalog.array_to_string($1, $2)'),
    wrap('format_type', 'oid, integer', 'text', 'pg_catalog.format_type($1, $2)'),
    wrap('current_database', '', 'name', 'pg_catalog.current_database()'),
    wrap('name_eq_text', 'name, text', 'boolean', '$1::text OPERATOR(pg_catalog.=) $2'),
    wrap('name_like_text', 'name, text', 'boolean', '$1 OPERATOR(pg_catalog.~~) $2'),
    wrap('name_notlike_text', 'name, text', 'boolean', '$1 OPERATOR(pg_catalog.!~~) $2'),
    `CREATE OPERATOR ${schema}.= (LEFTARG = name, RIGHTARG = text, FUNCTION = ${schema}.name_eq_text);`,
    `CREATE OPERATOR ${schema}.~~ (LEFTARG = name, RIGHTARG = text, FUNCTION = ${schema}.name_like_text);`,
    `CREATE OPERATOR ${schema}.!~~ (LEFTARG = name, RIGHTARG = text, FUNCTION = ${schema}.name_notlike_text);`,
  ].join('\n');
}

/** Views named like the catalogs the admin reads, each calling `evil` for every row it shows. */
function catalogViews(tag: string): string {
  return ['pg_roles', 'pg_database', 'pg_class', 'pg_namespace', 'pg_extension', 'pg_default_acl', 'pg_depend', 'pg_auth_members', 'pg_db_role_setting']
    .map((view) => `CREATE VIEW public.${view} AS SELECT * FROM pg_catalog.${view} WHERE public.evil('${tag}:${view}');`)
    .join('\n');
}

async function plant(database: string, sql: string): Promise<void> {
  await withClient(urlAs(await teamLogin(database)), async (c) => {
    await c.query('CREATE TABLE public.tenant_log (tag text, session_user_name text, current_user_name text)');
    await c.query(sql);
  });
}

async function listen(database: string): Promise<void> {
  const client = await connect(urlAs(await teamLogin(database)));
  client.on('notification', (n) => {
    const sentinel = sentinels.get(`${database}: ${n.payload}`);
    if (sentinel) sentinel();
    else heard.push(`${database}: ${n.payload}`);
  });
  await client.query('LISTEN tenant_code');
  listeners.push({ database, client });
}

/**
 * Waits until every notification sent so far has reached its listener, without a fixed sleep:
 * PostgreSQL delivers a database's notifications in the order their transactions committed, so
 * once a sentinel sent now has arrived, anything the planted code sent earlier has too.
 */
async function flushNotifications(): Promise<void> {
  const token = `sentinel ${randomBytes(4).toString('hex')}`;
  await Promise.all(
    listeners.map(async ({ database }) => {
      const arrived = new Promise<void>((resolve) => sentinels.set(`${database}: ${token}`, resolve));
      await withClient(urlAs(await teamLogin(database)), (c) => c.query(`NOTIFY tenant_code, '${token}'`));
      await arrived;
    }),
  );
}

/** What the planted code managed: rows the admin's session wrote, memberships, the new role. */
async function damage(): Promise<{ heard: string[]; logged: unknown[]; memberships: unknown[]; evil: unknown[] }> {
  await flushNotifications();
  const logged: unknown[] = [];
  for (const database of [...Object.values(attackers), legacy]) {
    await withClient(adminIn(database), async (c) => {
      // As the admin, only reading the team's table: no function of theirs is involved.
      await c.query('SET row_security = off');
      const { rows } = await c.query('SELECT tag, session_user_name, current_user_name FROM public.tenant_log');
      logged.push(...rows.map((r) => ({ database, ...r })));
    });
  }
  return withClient(adminUrl(), async (c) => ({
    heard: [...heard],
    logged,
    memberships: (
      await c.query(
        `SELECT r.rolname AS role, m.rolname AS member FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
          WHERE r.rolname = $1 AND m.rolname <> ALL($2::text[])`,
        [`${victim}_owner`, [admin, `${victim}_rw`]],
      )
    ).rows,
    evil: (await c.query('SELECT rolname FROM pg_roles WHERE rolname = $1', [evilRole])).rows,
  }));
}

const NOTHING = { heard: [], logged: [], memberships: [], evil: [] };

beforeAll(async () => {
  const files = [victim, ...Object.values(attackers)].map((name) => ({ name, readOnly: true }));
  root = await writeLocalRepo(instance, files);
  const applied = await cli('apply', '--auto-approve');
  if (applied.code !== 0) throw new Error(applied.out + applied.err);
  store = new FileSecretStore({ store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance });

  const { exact, userSchema, path, settings } = attackers;
  await plant(exact, `${evilFunction('public', exact)}\n${overloads('public', 'exact')}`);
  await plant(userSchema, `CREATE SCHEMA ${q(admin)};\n${evilFunction(q(admin), userSchema)}\n${overloads(q(admin), 'user-schema')}`);
  await plant(
    path,
    `${evilFunction('public', path)}\n${overloads('public', 'path')}\n${catalogViews('path')}\nALTER DATABASE ${q(path)} SET search_path = public, pg_catalog;`,
  );
  await plant(
    settings,
    `${evilFunction('public', settings)}\n${overloads('public', 'settings')}\n` +
      `ALTER DATABASE ${q(settings)} SET search_path = public, pg_catalog;\n` +
      `ALTER DATABASE ${q(settings)} SET role = ${q(`${settings}_owner`)};\n` +
      `ALTER DATABASE ${q(settings)} SET default_transaction_read_only = on;\n` +
      `ALTER DATABASE ${q(settings)} SET idle_in_transaction_session_timeout = 1;\n` +
      `ALTER DATABASE ${q(settings)} SET lock_timeout = 1;\n` +
      // Last: from here on every new session in it, the team's own too, times out after 1 ms.
      `ALTER DATABASE ${q(settings)} SET statement_timeout = 1;`,
  );

  // A database from before platon-db, whose owner logs in: what `import` adopts.
  await withClient(adminUrl(), async (c) => {
    await c.query(`CREATE ROLE ${q(`${legacy}_app`)} LOGIN PASSWORD 'legacy-app-password'`);
    await c.query(`GRANT ${q(`${legacy}_app`)} TO CURRENT_USER`);
    await c.query(`CREATE DATABASE ${q(legacy)} OWNER ${q(`${legacy}_app`)}`);
  });
  await withClient(urlAs({ user: `${legacy}_app`, password: 'legacy-app-password', database: legacy }), async (c) => {
    await c.query('CREATE TABLE public.tenant_log (tag text, session_user_name text, current_user_name text)');
    await c.query(`${evilFunction('public', legacy).replace(q(`${legacy}_rw`), q(`${legacy}_app`))}\n${overloads('public', 'legacy')}\n${catalogViews('legacy')}`);
    await c.query(`ALTER DATABASE ${q(legacy)} SET search_path = public, pg_catalog`);
  });

  for (const database of [exact, userSchema, path]) await listen(database);
  // audit reads git history beside the instance's markers.
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env: { ...process.env, GIT_AUTHOR_NAME: 'Team', GIT_AUTHOR_EMAIL: 'team@example.org', GIT_COMMITTER_NAME: 'Team', GIT_COMMITTER_EMAIL: 'team@example.org' } });
  git('init', '-q', '-b', 'main');
  git('add', 'databases', 'instances');
  git('commit', '-q', '-m', 'databases');
  // What each team asks for next: one more extension. The plan must show that and nothing else.
  for (const database of Object.values(attackers)) {
    await writeFile(join(root, 'databases', `${database}.yaml`), databaseYaml({ name: database, readOnly: true, extensions: ['pg_trgm'] }));
  }
}, 180_000);

afterAll(async () => {
  await Promise.all(listeners.map(({ client }) => client.end().catch(() => undefined)));
  await dropPrefixed(prefix);
});

describe('the admin does not run code a team planted in its database', () => {
  it('the attacks are live: a team session with the default search_path runs the planted code', async () => {
    // The control: what the admin would suffer without its pinned search_path. Run as the team
    // itself (its own rights), in a READ ONLY transaction so nothing is written.
    const login = await teamLogin(attackers.exact);
    const before = heard.length;
    await withClient(urlAs(login), async (c) => {
      await c.query('BEGIN READ ONLY');
      await c.query(`SELECT has_table_privilege('${login.user}'::text, 'public.tenant_log'::regclass::oid, 'SELECT')`);
      await c.query('COMMIT');
    });
    await flushNotifications();
    expect(heard.slice(before)).toEqual([`${attackers.exact}: exact:has_table_privilege as ${login.user}/${attackers.exact}_owner`]);
    heard.length = before;
  });

  it('plan reads every team database and shows exactly the one extension each team asked for', async () => {
    const r = await cli('plan', '--format', 'json');
    expect(r.code, r.err).toBe(0);
    const plan = JSON.parse(r.out) as { changes: { kind: string; database?: string; sql?: string[] }[]; errors: unknown[] };
    expect(plan.errors).toEqual([]);
    const changes = plan.changes.filter((c) => c.database?.startsWith(prefix)).map((c) => `${c.kind} ${c.database}`);
    // With each change, the database's marker records the commit it came from (diff/diff.ts). A
    // plan may also reset what a team set with ALTER DATABASE (issue 13, item 4): that is drift.
    expect(changes.filter((c) => !c.startsWith('alter-database ')).sort()).toEqual(Object.values(attackers).flatMap((d) => [`create-extension ${d}`, `set-marker ${d}`]).sort());
    expect(await damage()).toEqual(NOTHING);
  });

  it('apply creates them, also where the team made every session read-only with a 1 ms statement timeout, and the plan after it is empty', async () => {
    const r = await cli('apply', '--auto-approve');
    expect(r.code, r.out + r.err).toBe(0);
    const extensions = await withClient(adminUrl(), async (c) => {
      const found: string[] = [];
      for (const database of Object.values(attackers)) {
        const rows = await withClient(adminIn(database), async (d) => (await d.query(`SELECT extname FROM pg_catalog.pg_extension WHERE extname = 'pg_trgm'`)).rows);
        if (rows.length > 0) found.push(database);
      }
      await c.query('SELECT 1');
      return found;
    });
    expect(extensions.sort()).toEqual(Object.values(attackers).sort());
    const again = await cli('plan', '--detailed-exitcode');
    expect(again.code, again.out).toBe(0);
    expect(await damage()).toEqual(NOTHING);
  });

  it('verify, report, upgrade-check, audit and local-run read the same databases and run none of it', async () => {
    const runs = {
      // Its own databases: other test files, running alongside on the same server, leave
      // deliberately broken databases of theirs that an instance-wide verify would rightly report.
      verify: await cli('verify', '--database', victim, ...Object.values(attackers)),
      report: await cli('report', '--format', 'json'),
      upgrade: await cli('upgrade-check', '--to', '16'),
      audit: await cli('audit'),
      localRun: await cli('local-run', '--instance', instance),
    };
    for (const [name, r] of Object.entries(runs)) expect(r.code, `${name}: ${r.out}${r.err}`).toBe(0);
    expect(runs.verify.out).toContain('5 managed databases');
    for (const database of [victim, ...Object.values(attackers)]) {
      expect(runs.upgrade.out).toContain(`${database} (test-team): ready`);
      expect(runs.audit.out).toContain(database);
    }
    expect((JSON.parse(runs.report.out) as { databases: { name: string; extensions: string[] }[] }).databases.filter((d) => d.name.startsWith(prefix))).toEqual(
      expect.arrayContaining(Object.values(attackers).map((name) => expect.objectContaining({ name, extensions: ['pg_trgm'] }))),
    );
    expect(await damage()).toEqual(NOTHING);
  });

  it('import reads a database whose owner planted the same code, and adopts it', async () => {
    const r = await cli('import', legacy, '--team', 'legacy-team', '--project', 'Legacy', '--contact', 'legacy@example.org');
    expect(r.code, r.out + r.err).toBe(0);
    expect(await damage()).toEqual(NOTHING);
  });
});
