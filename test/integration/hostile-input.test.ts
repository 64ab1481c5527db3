/**
 * Bad input everywhere (issue 7, item 5): every invalid fixture the validator knows, hostile
 * identifiers and values, abused command-line arguments and environment variables, each through
 * validate, plan and apply (in-process CLI, PLATON_DATABASE_URL = the test server). Each must exit
 * 1 or 2 with a message that names the problem and no stack trace, leave its repository as it
 * was (no secret, allowlist or embedded server written), and the server must be unchanged: the
 * catalog rows of every name the cases mention are the same before and after.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { adminUrl, uniquePrefix, withClient } from '../support/postgres.js';
import { REPO, tempRepo, validDatabase } from '../unit/validate-helpers.js';

type Command = 'validate' | 'plan' | 'apply';
const COMMANDS: readonly Command[] = ['validate', 'plan', 'apply'];

interface Case {
  readonly name: string;
  /** Repository-relative files besides the real instances/. */
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  /** Extra arguments per command; a command left out is not run for this case. */
  readonly args?: Partial<Record<Command, readonly string[]>>;
  readonly env?: Readonly<Record<string, string>>;
  /** Expected exit code per command (default 1). */
  readonly code?: Partial<Record<Command, number>>;
  /** What the output must say (every one of them), per command or for all. */
  readonly says: readonly (string | RegExp)[] | Partial<Record<Command, readonly (string | RegExp)[]>>;
}

const prefix = uniquePrefix(import.meta.url);
const valid = { [`databases/${prefix}_ok.yaml`]: validDatabase(`${prefix}_ok`) };
const db = (name: string, body: string) => ({ [`databases/${name}.yaml`]: `${body}\n` });
const base = (fields: string) => `team: team-a\nproject: Project A\ncontact: team-a@example.org\n${fields}`;

// --- The validator's own fixtures, each with the codes it must produce.
const FIXTURES = join(REPO, 'test/fixtures/invalid');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')).fixtures as Record<string, { codes: string[]; folder?: string }>;
const fixtureCases: Case[] = readdirSync(FIXTURES)
  .filter((f) => f !== 'expected.json')
  .sort()
  .map((file) => ({
    name: `fixture ${file}`,
    files: {
      ...(file === 'duplicate_name.yml' ? { 'databases/studentweb.yaml': validDatabase('studentweb') } : {}),
      [`${expected[file]!.folder ?? 'databases'}/${file}`]: readFileSync(join(FIXTURES, file)),
    },
    says: expected[file]!.codes,
  }));

// --- Hostile identifiers and values: each would be SQL, a path or a prototype if it got through.
const identifierCases: Case[] = [
  { name: 'a database name with a double quote', files: db('a_b', `name: 'a"b'\n${base('')}`), says: ['name.invalid'] },
  { name: 'a database name that is SQL', files: db('x', `name: "x; DROP DATABASE postgres; --"\n${base('')}`), says: ['name.invalid'] },
  { name: 'a database name with a Cyrillic a', files: db('shop', `name: shоp\n${base('')}`), says: ['name.invalid'] },
  { name: 'a database name that climbs out of the folder', files: db('etc', `name: ../../etc/passwd\n${base('')}`), says: ['name.invalid'] },
  { name: 'a database name with a trailing newline', files: db('shop', `name: |\n  shop\n${base('')}`), says: ['name.invalid'] },
  { name: 'a database name with a space', files: db('my_db', `name: my db\n${base('')}`), says: ['name.invalid'] },
  { name: 'a database name that starts with a dash', files: { 'databases/-rf.yaml': `name: -rf\n${base('')}\n` }, says: ['name.invalid'] },
  { name: 'a database name of an RDS role prefix', files: db('rds_superuser', `name: rds_superuser\n${base('')}`), says: ['name.reserved'] },
  { name: 'an extension name that is SQL', files: db(`${prefix}_ext`, `name: ${prefix}_ext\n${base('extensions: ["citext; DROP SCHEMA public CASCADE; --"]')}`), says: ['extension.unknown'] },
  { name: 'a team that is SQL', files: db(`${prefix}_team`, `name: ${prefix}_team\nteam: "x'); DROP ROLE platon_admin; --"\nproject: P\ncontact: a@example.org`), says: ['team.invalid'] },
  { name: 'a contact with a header injection', files: db(`${prefix}_mail`, `name: ${prefix}_mail\nteam: team-a\nproject: P\ncontact: "a@example.org\\r\\nBcc: all@example.org"`), says: ['contact.invalid'] },
  { name: 'a project of two lines', files: db(`${prefix}_proj`, `name: ${prefix}_proj\nteam: team-a\nproject: "line one\\nline two"\ncontact: a@example.org`), says: ['project.invalid'] },
  { name: 'a connection limit that is text with SQL', files: db(`${prefix}_limit`, `name: ${prefix}_limit\n${base('connectionLimit: "20; ALTER ROLE x SUPERUSER"')}`), says: ['schema.type'] },
  { name: 'a connection limit of infinity', files: db(`${prefix}_inf`, `name: ${prefix}_inf\n${base('connectionLimit: .inf')}`), says: ['schema.type'] },
  { name: 'a negative connection limit', files: db(`${prefix}_neg`, `name: ${prefix}_neg\n${base('connectionLimit: -1')}`), says: ['connection-limit.out-of-range'] },
  { name: 'a CIDR that is SQL', files: db(`${prefix}_cidr`, `name: ${prefix}_cidr\n${base("access:\n  external:\n    - cidr: \"81.91.101.0/28' OR '1'='1\"\n      description: x")}`), says: ['cidr.invalid'] },
  { name: 'a rule description with quotes and a newline', files: db(`${prefix}_desc`, `name: ${prefix}_desc\n${base('access:\n  external:\n    - cidr: 81.91.101.0/28\n      description: "x\'); --\\nplaton-db: all"')}`), says: ['description.invalid-characters'] },
  { name: 'an instance name that climbs out of the folder', files: db(`${prefix}_inst`, `name: ${prefix}_inst\n${base('instance: ../instances/local')}`), says: ['instance.unknown'] },
  { name: 'a __proto__ key', files: db(`${prefix}_proto`, `name: ${prefix}_proto\n${base('__proto__:\n  polluted: true')}`), says: ['schema.unknown-key'] },
  { name: 'a constructor.prototype key', files: db(`${prefix}_ctor`, `name: ${prefix}_ctor\n${base('constructor:\n  prototype:\n    polluted: true')}`), says: ['schema.unknown-key'] },
  { name: 'a hand-named role that is the admin', files: db(`${prefix}_adm`, `name: ${prefix}_adm\n${base('adopt: true\nusers:\n  rw: platon_admin')}`), says: ['users.reserved-role'] },
  { name: 'a flow mapping as JSON with a duplicate key', files: db(`${prefix}_json`, `{"name": "${prefix}_json", "name": "postgres", "team": "team-a", "project": "P", "contact": "a@example.org"}`), says: ['yaml.duplicate-key'] },
  { name: 'a valid file beside an invalid one (neither is applied)', files: { ...valid, ...db(`${prefix}_bad`, `name: ${prefix}_bad\n${base('connectionLimit: 100000')}`) }, says: ['connection-limit.too-high'] },
  { name: 'a file name with a space', files: { [`databases/${prefix} x.yaml`]: validDatabase(`${prefix}_x`) }, says: ['name.mismatch'] },
  { name: 'a file name in capitals', files: { [`databases/${prefix.toUpperCase()}.yaml`]: validDatabase(prefix.toUpperCase()) }, says: ['name.invalid'] },
];

// --- Arguments: each command gets the same abuse where it applies.
const all = (args: readonly string[]) => ({ validate: args, plan: args, apply: args });
const argumentCases: Case[] = [
  { name: 'an unknown option', files: valid, args: all(['--frobnicate']), code: { validate: 2, plan: 2, apply: 2 }, says: ["unknown option '--frobnicate'"] },
  { name: 'an unknown format', files: valid, args: { validate: ['--format', 'xml'], plan: ['--format', 'xml'] }, code: { validate: 2, plan: 2 }, says: ['xml'] },
  { name: 'a stray argument', files: valid, args: all(['surplus']), code: { validate: 2, plan: 2, apply: 2 }, says: [/too many arguments|unknown command|surplus/] },
  { name: 'a --root that does not exist', files: valid, args: all(['--root', '/nonexistent/platon']), code: { validate: 2, plan: 2, apply: 2 }, says: ['/nonexistent/platon'] },
  { name: 'a --root that is a file', files: valid, args: all(['--root', join(REPO, 'package.json')]), code: { validate: 2, plan: 2, apply: 2 }, says: ['package.json'] },
  { name: 'a --root of 5000 characters', files: valid, args: all(['--root', `/tmp/${'x'.repeat(5000)}`]), code: { validate: 2, plan: 2, apply: 2 }, says: [/x{20}/] },
  { name: 'a --root with a newline', files: valid, args: all(['--root', '/tmp/a\nerror: forged']), code: { validate: 2, plan: 2, apply: 2 }, says: ['/tmp/a'] },
  { name: 'an instance name with a newline', files: valid, args: { plan: ['--instance', 'x\nerror: forged'], apply: ['--instance', 'x\rerror: forged'] }, code: { plan: 2, apply: 2 }, says: ['there is no instance named x'] },
  { name: 'an instance that does not exist', files: valid, args: { plan: ['--instance', 'nope'], apply: ['--instance', 'nope'] }, code: { plan: 2, apply: 2 }, says: ['there is no instance named nope'] },
  { name: 'an instance name that is SQL', files: valid, args: { plan: ['--instance', "local'; DROP DATABASE postgres; --"], apply: ['--instance', "local'; DROP DATABASE postgres; --"] }, code: { plan: 2, apply: 2 }, says: ['there is no instance named'] },
  { name: 'a negative lock timeout', files: valid, args: { apply: ['--lock-timeout', '-1'] }, code: { apply: 2 }, says: ['--lock-timeout'] },
  { name: 'a lock timeout that is not a number', files: valid, args: { apply: ['--lock-timeout', 'soon'] }, code: { apply: 2 }, says: ['--lock-timeout'] },
  { name: 'an infinite lock timeout', files: valid, args: { apply: ['--lock-timeout', '1e999'] }, code: { apply: 2 }, says: ['--lock-timeout'] },
  { name: 'a value for a flag that takes none', files: valid, args: { plan: ['--detailed-exitcode=yes'], apply: ['--auto-approve=yes'] }, code: { plan: 2, apply: 2 }, says: [/does not take an argument|too many arguments|unknown option/] },
];

// --- Environment: a broken admin connection or test hook stops plan and apply before anything is done.
const server = new URL(adminUrl());
const envCase = (name: string, env: Record<string, string>, says: (string | RegExp)[], code = 1): Case => ({
  name,
  files: valid,
  env,
  args: { plan: [], apply: [] },
  code: { plan: code, apply: code },
  says,
});
const wrongPassword = `postgresql://${server.username}:Wrong-Password-0042@${server.host}/postgres`;
const envCases: Case[] = [
  envCase('PLATON_DATABASE_URL that is not a URL', { PLATON_DATABASE_URL: 'not a url' }, ['PLATON_DATABASE_URL is not a valid URL']),
  envCase('PLATON_DATABASE_URL without a host', { PLATON_DATABASE_URL: 'postgresql://' }, ['PLATON_DATABASE_URL is not a postgresql:// URL with a host']),
  envCase('PLATON_DATABASE_URL of another kind of server', { PLATON_DATABASE_URL: `mysql://root:x@${server.host}/mysql` }, ['PLATON_DATABASE_URL is not a postgresql:// URL with a host']),
  envCase('PLATON_DATABASE_URL with a broken IPv6 host', { PLATON_DATABASE_URL: 'postgresql://u:p@[::1/postgres' }, ['PLATON_DATABASE_URL is not a valid URL']),
  envCase('PLATON_DATABASE_URL with the wrong password', { PLATON_DATABASE_URL: wrongPassword }, ['password authentication failed']),
  envCase('PLATON_DATABASE_URL naming a role that does not exist', { PLATON_DATABASE_URL: `postgresql://no_such_admin:x@${server.host}/postgres` }, [/no_such_admin/]),
  envCase('PLATON_DATABASE_URL with a port nobody listens on', { PLATON_DATABASE_URL: 'postgresql://u:p@127.0.0.1:1/postgres' }, ['ECONNREFUSED']),
  envCase('PLATON_DATABASE_URL with a database name that is SQL', { PLATON_DATABASE_URL: `postgresql://${server.username}:x@${server.host}/x%22%3B%20DROP%20DATABASE%20postgres%3B` }, [/password authentication failed|does not exist/]),
  { ...envCase('a crash-test hook that is not a number', { PLATON_TEST_KILL_AFTER_STATEMENT: 'soon' }, ['PLATON_TEST_KILL_AFTER_STATEMENT must be a positive whole number'], 2), args: { apply: [] }, code: { apply: 2 } },
];

const cases: Case[] = [...fixtureCases, ...identifierCases, ...argumentCases, ...envCases];

/** Every database and role a case file names (and the roles derived from it), as the catalogs show them. */
async function namedSnapshot(names: readonly string[]) {
  const roles = names.flatMap((n) => [n, `${n}_owner`, `${n}_rw`, `${n}_ro`]);
  return withClient(adminUrl(), async (c) => ({
    databases: (
      await c.query(
        `SELECT datname, pg_get_userbyid(datdba) AS owner, datacl::text AS acl, shobj_description(oid, 'pg_database') AS comment
           FROM pg_database WHERE datname = ANY($1) ORDER BY 1`,
        [names],
      )
    ).rows,
    roles: (
      await c.query(
        `SELECT r.rolname, r.rolcanlogin, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolconnlimit, shobj_description(r.oid, 'pg_authid') AS comment,
                ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) AS member_of
           FROM pg_roles r WHERE r.rolname = ANY($1) OR r.rolname LIKE $2 ORDER BY 1`,
        [roles, `${prefix.replace(/_/g, '\\_')}%`],
      )
    ).rows,
  }));
}

const mentioned = [
  ...new Set(
    cases.flatMap((c) =>
      Object.entries(c.files).flatMap(([path, content]) => [
        path.replace(/^.*\//, '').replace(/\.ya?ml$/, ''),
        ...[...String(content).matchAll(/^\s*"?name"?\s*:\s*["']?([^"'\n,]+)/gm)].map((m) => m[1]!.trim()),
      ]),
    ),
  ),
];

let before: Awaited<ReturnType<typeof namedSnapshot>>;
beforeAll(async () => {
  before = await namedSnapshot(mentioned);
});

async function run(command: Command, c: Case, root: string) {
  let out = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t), isTty: false, cwd: root, env: { PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: 'c0ffee', ...c.env } };
  const extra = c.args?.[command] ?? [];
  const argv = [command, '--root', root, ...(command === 'validate' ? [] : ['--instance', 'local']), ...(command === 'apply' ? ['--auto-approve'] : []), ...extra];
  return { code: await main(argv, io), out };
}

const listing = (root: string): string[] => readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();

describe('hostile input is refused by validate, plan and apply, and touches nothing', () => {
  it('has at least 80 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const root = tempRepo(c.files);
    const files = listing(root);
    const commands = c.args ? COMMANDS.filter((command) => c.args![command] !== undefined) : COMMANDS;
    for (const command of commands) {
      const { code, out } = await run(command, c, root);
      const says = Array.isArray(c.says) ? c.says : ((c.says as Partial<Record<Command, readonly (string | RegExp)[]>>)[command] ?? []);
      expect(code, `${command}: ${out}`).toBe(c.code?.[command] ?? 1);
      for (const text of says) typeof text === 'string' ? expect(out, command).toContain(text) : expect(out, command).toMatch(text);
      expect(out, `${command} printed a stack trace`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(out, command).not.toContain('internal error');
      expect(out, `${command}: a value forged a line of its own`).not.toMatch(/^error: forged/m);
    }
    expect(listing(root), 'the repository changed').toEqual(files);
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();
  });

  it('left the catalogs of every name the cases mention as they were', async () => {
    expect(mentioned.length).toBeGreaterThan(80);
    expect(await namedSnapshot(mentioned)).toEqual(before);
  });
});
