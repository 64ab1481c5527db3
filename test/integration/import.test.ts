/**
 * Brownfield: a database ordered by e-mail (made by hand, no markers, PUBLIC may connect) is
 * imported, adopted by a reviewed apply that changes no password, and converges.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl, canConnect, dropPrefixed, urlAs, withClient } from '../support/postgres.js';
import { cli, tempRepository, withoutLockWait } from '../support/cli.js';

// Roles are cluster-wide and test files share one server: every name here starts with im_.
const DB = 'im_legacy';
const USER = 'im_legacy_user';
const READER = 'im_legacy_reader';
const OLD_PASSWORD = 'the-password-sent-by-e-mail-2019';
const READER_PASSWORD = 'reader-password-from-2019';

/** Only these may appear in the first plan of an adopted database. */
const ADOPTION_STEPS = new Set(['set-marker', 'grant-membership', 'revoke-public', 'grant-connect', 'grant-schema-read', 'grant-default-privileges', 'alter-role']);

let root: string;
const file = () => join(root, 'databases', `${DB}.yaml`);
const run = (...args: string[]) => cli([...args, '--root', root, '--instance', 'local']);

async function makeLegacy(): Promise<void> {
  // As Platon did by hand: the RDS master creates the user and its database, then is no member.
  await withClient(adminUrl(), async (admin) => {
    await admin.query(`CREATE ROLE ${USER} LOGIN PASSWORD '${OLD_PASSWORD}'`);
    await admin.query(`CREATE ROLE ${READER} LOGIN PASSWORD '${READER_PASSWORD}'`);
    await admin.query(`GRANT ${USER} TO CURRENT_USER`);
    await admin.query(`CREATE DATABASE ${DB} OWNER ${USER}`);
    await admin.query(`GRANT CONNECT ON DATABASE ${DB} TO ${READER}`);
  });
  await withClient(urlAs({ user: USER, password: OLD_PASSWORD, database: DB }), async (owner) => {
    await owner.query(`CREATE EXTENSION citext`);
    await owner.query(`CREATE TABLE items (id serial PRIMARY KEY, name citext)`);
    await owner.query(`INSERT INTO items (name) VALUES ('Apple'), ('Pear')`);
    await owner.query(`CREATE SCHEMA archive`);
    await owner.query(`CREATE TABLE archive.old_items (id int)`);
    await owner.query(`GRANT USAGE ON SCHEMA public TO ${READER}`);
    await owner.query(`GRANT SELECT ON items TO ${READER}`);
  });
  await withClient(adminUrl(), (admin) => admin.query(`REVOKE ${USER} FROM CURRENT_USER`));
}

beforeAll(async () => {
  await makeLegacy();
  await withClient(adminUrl(), (admin) => admin.query(`CREATE DATABASE im_other`));
  root = tempRepository();
});
afterAll(() => dropPrefixed('im_'));

describe('platon-db import, then adoption', () => {
  it('writes the file: adopt, the roles by name, extensions, and TODOs for what it cannot know', async () => {
    const r = await run('import', DB);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Wrote databases/${DB}.yaml (adopt: true).`);
    const text = readFileSync(file(), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/database.schema.json');
    expect(text).toContain(`name: ${DB}\n`);
    expect(text).toContain('team: "TODO: the GitHub team slug that owns this database"');
    expect(text).toContain('adopt: true\ninstance: local\n');
    expect(text).toMatch(new RegExp(`users:\\n  owner: ${USER} .*\\n  rw: ${USER}\\n  ro: ${READER}\\n`));
    expect(text).toContain('extensions: [citext]');
    expect(text).toContain('connectionLimit: 20');
    // The placeholders fail validation until someone fills them in.
    expect(r.out).toContain('field.placeholder');
    const validate = await cli(['validate', '--root', root]);
    expect(validate.code).toBe(1);
  });

  it('refuses to overwrite an existing file', async () => {
    const again = await run('import', DB);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already exists');
  });

  it('plans only adoption steps once the TODOs are filled in, and notes the unknown passwords', async () => {
    const filled = readFileSync(file(), 'utf8')
      .replace(/^team: .*$/m, 'team: legacy-team')
      .replace(/^project: .*$/m, 'project: Legacy shop')
      .replace(/^contact: .*$/m, 'contact: legacy@example.org');
    writeFileSync(file(), filled);
    expect((await cli(['validate', '--root', root])).code).toBe(0);
    const r = await run('plan', '--format', 'json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan.errors).toEqual([]);
    // The instance's own allowlist may change too (its baseline networks); the database's changes are adoption only.
    const kinds: string[] = plan.changes.filter((c: { database: string }) => c.database === DB).map((c: { kind: string }) => c.kind);
    expect(kinds.filter((k) => !ADOPTION_STEPS.has(k))).toEqual([]);
    expect(kinds).toEqual(expect.arrayContaining(['revoke-public', 'set-marker', 'grant-default-privileges']));
    // The only role change is bringing the users under the instance's per-user limit: never login or password.
    const roleChanges = plan.changes.filter((c: { kind: string }) => c.kind === 'alter-role');
    expect(roleChanges.every((c: { login?: boolean; connectionLimit?: number }) => c.login === undefined && c.connectionLimit === 20)).toBe(true);
    expect(plan.notes.filter((n: { kind: string }) => n.kind === 'password-unknown').map((n: { role: string }) => n.role)).toEqual([USER, READER]);
  });

  it('applies, then plans no changes; the team logs in with its old passwords; PUBLIC is out', async () => {
    const r = await run('apply', '--auto-approve');
    expect(withoutLockWait(r.err)).toBe('');
    expect(r.code).toBe(0);
    const again = await run('plan', '--detailed-exitcode');
    expect(again.code).toBe(0);
    expect(again.out).toContain('No changes.');
    expect(await canConnect({ user: USER, password: OLD_PASSWORD, database: DB })).toBe(true);
    expect(await canConnect({ user: READER, password: READER_PASSWORD, database: DB })).toBe(true);
    await withClient(urlAs({ user: READER, password: READER_PASSWORD, database: DB }), async (reader) => {
      // Read access now covers every table of the team, the archive schema included.
      expect((await reader.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(2);
      expect((await reader.query('SELECT count(*)::int AS n FROM archive.old_items')).rows[0].n).toBe(0);
    });
    await withClient(adminUrl(), (admin) => admin.query(`CREATE ROLE im_stranger LOGIN PASSWORD 'stranger-pass'`));
    expect(await canConnect({ user: 'im_stranger', password: 'stranger-pass', database: DB })).toBe(false);
  });

  it('verifies the adopted database: the admin in the owner role (its login user) is by design', async () => {
    const r = await run('verify', '--database', DB);
    expect(r.out).not.toContain('membership.unexpected-member');
    expect(r.code, r.out + r.err).toBe(0);
  });

  it('gives tables the owner creates later to the read-only user without a new plan', async () => {
    await withClient(urlAs({ user: USER, password: OLD_PASSWORD, database: DB }), async (owner) => {
      await owner.query('CREATE TABLE later (id int)');
      await owner.query('INSERT INTO later VALUES (1)');
    });
    await withClient(urlAs({ user: READER, password: READER_PASSWORD, database: DB }), async (reader) => {
      await expect(reader.query('SELECT id FROM later')).resolves.toMatchObject({ rows: [{ id: 1 }] });
    });
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('stores a password for an adopted user only when Platon rotates it', async () => {
    const r = await cli(['rotate', DB, '--user', 'rw', '--instance', 'local', '--root', root]);
    expect(r.code, r.err).toBe(0);
    const stored = JSON.parse(readFileSync(join(root, '.platon', 'secrets', 'local', DB, 'rw.json'), 'utf8'));
    const credentials = stored.versions.at(-1).credentials;
    expect(credentials.username).toBe(USER);
    expect(await canConnect({ user: USER, password: credentials.password, database: DB })).toBe(true);
    expect(await canConnect({ user: USER, password: OLD_PASSWORD, database: DB })).toBe(false);
    const plan = JSON.parse((await run('plan', '--format', 'json')).out);
    expect(plan.notes.filter((n: { kind: string }) => n.kind === 'password-unknown').map((n: { role: string }) => n.role)).toEqual([READER]);
  });

  it('keeps an unmanaged database an error without adopt: true', async () => {
    writeFileSync(
      join(root, 'databases', 'im_other.yaml'),
      '# yaml-language-server: $schema=../schema/database.schema.json\nname: im_other\nteam: other\nproject: Other\ncontact: other@example.org\ninstance: local\n',
    );
    const r = await run('plan');
    expect(r.code).toBe(1);
    expect(r.out).toContain('database.unmanaged');
    expect(r.out).toContain('platon-db import');
  });
});
