/**
 * `adopt: true` cannot take another team's roles (issue 13, item 2). A reviewed file is still
 * written by a team; adopting takes over only an existing database, under the owner it has, and
 * only roles whose memberships, owned objects and privileges lie inside that database. PostgreSQL
 * shows a connection only its own database's pg_class; pg_shdepend lists every database's owners
 * and grantees, which is how a role owning a table elsewhere is seen. Nothing is applied while a
 * file is refused, and `rotate` replaces no password of a role the file may not take.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempRepository } from '../support/cli.js';
import { storedPassword } from '../support/local-repo.js';
import { adminUrl, canConnect, dropPrefixed, uniquePrefix, urlAs, withClient } from '../support/postgres.js';

const p = uniquePrefix(import.meta.url);
const wiki = `${p}_wiki`; // managed by platon-db: another team's
const other = `${p}_oth`; // made by hand for another team, not yet adopted
const otherUser = `${p}_oth_user`;
const mine = `${p}_mine`; // made by hand for this team: the legitimate adoption
const mineUser = `${p}_mine_user`;
const mineReader = `${p}_mine_reader`;
const PASSWORD = { [otherUser]: 'OtherTeamPassword-2019', [mineUser]: 'MineTeamPassword-2019', [mineReader]: 'MineReaderPassword-2019' };

let root: string;
const run = (...args: string[]) => cli([...args, '--root', root, '--instance', 'local']);
const header = (name: string, team: string) =>
  `# yaml-language-server: $schema=../schema/database.schema.json\nname: ${name}\nteam: ${team}\nproject: ${team}\ncontact: ${team}@example.org\ninstance: local\n`;
const adoptFile = (name: string, users: { owner: string; rw: string; ro?: string }) =>
  `${header(name, 'mine')}adopt: true\nusers:\n  owner: ${users.owner}\n  rw: ${users.rw}\n${users.ro ? `  ro: ${users.ro}\n` : ''}connectionLimit: 20\n`;

/** Runs `fn` with databases/<name>.yaml written, and removes it after. */
async function withFile<T>(name: string, text: string, fn: () => Promise<T>): Promise<T> {
  const path = join(root, 'databases', `${name}.yaml`);
  writeFileSync(path, text);
  try {
    return await fn();
  } finally {
    rmSync(path);
  }
}

async function planErrors(): Promise<{ code: string; database: string; file: string; message: string }[]> {
  const r = await run('plan', '--format', 'json');
  return JSON.parse(r.out).errors;
}

/** What an adoption would have changed on a role: its comment (our marker) and its limit. */
const roleState = async (role: string) =>
  withClient(adminUrl(), async (c) => (await c.query(`SELECT shobj_description(oid, 'pg_authid') AS comment, rolconnlimit AS limit FROM pg_roles WHERE rolname = $1`, [role])).rows[0]);


async function handMade(database: string, owner: string): Promise<void> {
  // As Platon did by hand before platon-db: the owner logs in, owns the database and a table.
  await withClient(adminUrl(), async (admin) => {
    await admin.query(`CREATE ROLE ${owner} LOGIN PASSWORD '${PASSWORD[owner]}'`);
    await admin.query(`GRANT ${owner} TO CURRENT_USER`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${owner}`);
  });
  await withClient(urlAs({ user: owner, password: PASSWORD[owner]!, database }), (c) => c.query('CREATE TABLE public.notes (id int)'));
  await withClient(adminUrl(), (admin) => admin.query(`REVOKE ${owner} FROM CURRENT_USER`));
}

beforeAll(async () => {
  root = tempRepository({ [`databases/${wiki}.yaml`]: header(wiki, 'wiki') });
  const applied = await run('apply', '--auto-approve');
  if (applied.code !== 0) throw new Error(applied.out + applied.err);
  await handMade(other, otherUser);
  await handMade(mine, mineUser);
  await withClient(adminUrl(), async (admin) => {
    await admin.query(`CREATE ROLE ${mineReader} LOGIN PASSWORD '${PASSWORD[mineReader]}'`);
    await admin.query(`GRANT CONNECT ON DATABASE ${mine} TO ${mineReader}`);
  });
}, 60_000);
afterAll(() => dropPrefixed(p));

describe('a file adopting a database that does not exist', () => {
  const ghost = `${p}_ghost`;

  it("naming the managed roles of a database whose file is gone (kept, retained): refused in the plan, located, nothing applied, no password rotated", async () => {
    // While wiki's file exists, validation already refuses a second file naming its roles
    // (users.role-shared); a database whose file was removed keeps its roles and data.
    const before = await roleState(`${wiki}_rw`);
    const password = await storedPassword(root, 'local', wiki);
    const wikiFile = join(root, 'databases', `${wiki}.yaml`);
    const wikiText = readFileSync(wikiFile, 'utf8');
    rmSync(wikiFile);
    await withFile(ghost, adoptFile(ghost, { owner: `${wiki}_owner`, rw: `${wiki}_rw` }), async () => {
      const errors = (await planErrors()).filter((e) => e.database === ghost);
      expect(errors.map((e) => [e.code, e.file])).toEqual([
        ['role.claimed', `databases/${ghost}.yaml`],
        ['role.claimed', `databases/${ghost}.yaml`],
        ['adopt.no-database', `databases/${ghost}.yaml`],
      ]);
      expect(errors[2]!.message).toContain(`database ${ghost} does not exist on this instance`);
      const applied = await run('apply', '--auto-approve');
      expect(applied.code).toBe(1);
      const rotated = await cli(['rotate', ghost, '--user', 'rw', '--instance', 'local', '--root', root]);
      expect(rotated.code).toBe(1);
      expect(rotated.err).toContain(`role ${wiki}_rw on instance local is managed from databases/${wiki}.yaml, not databases/${ghost}.yaml; it was not changed`);
    }).finally(() => writeFileSync(wikiFile, wikiText));
    expect(await roleState(`${wiki}_rw`)).toEqual(before);
    expect(await canConnect({ user: `${wiki}_rw`, password, database: wiki })).toBe(true);
  });

  it("naming another team's hand-made role, which has no marker yet: refused, and rotate leaves its password", async () => {
    const before = await roleState(otherUser);
    await withFile(ghost, adoptFile(ghost, { owner: otherUser, rw: otherUser }), async () => {
      const errors = (await planErrors()).filter((e) => e.database === ghost);
      expect(errors.map((e) => e.code)).toEqual(['adopt.no-database']);
      expect((await run('apply', '--auto-approve')).code).toBe(1);
      const rotated = await cli(['rotate', ghost, '--user', 'rw', '--instance', 'local', '--root', root]);
      expect(rotated.code).toBe(1);
      expect(rotated.err).toContain(`role ${otherUser} on instance local was not changed: database ${ghost} does not exist on this instance`);
    });
    expect(await roleState(otherUser)).toEqual(before);
    expect(before).toEqual({ comment: null, limit: -1 });
    expect(await canConnect({ user: otherUser, password: PASSWORD[otherUser]!, database: other })).toBe(true);
  });
});

describe('a file adopting an existing hand-made database', () => {
  const refusal = async (users: { owner: string; rw: string; ro?: string }) =>
    withFile(mine, adoptFile(mine, users), async () => {
      const errors = (await planErrors()).filter((e) => e.database === mine);
      expect((await run('apply', '--auto-approve')).code).toBe(1);
      return errors;
    });

  it('refuses a role that owns a table (and a database) in another database', async () => {
    const errors = await refusal({ owner: mineUser, rw: otherUser });
    expect(errors.map((e) => e.code)).toEqual(['adopt.role-elsewhere']);
    expect(errors[0]!.message).toMatch(new RegExp(`^role ${otherUser} cannot be adopted for ${mine}: `));
    expect(errors[0]!.message).toContain(`it owns database ${other}`);
    expect(errors[0]!.message).toMatch(new RegExp(`it owns \\d+ objects? in database ${other}`));
    expect(await roleState(otherUser)).toEqual({ comment: null, limit: -1 });
  });

  it('refuses a role granted CONNECT on another database', async () => {
    // Granted by the other database's owner (the admin, in no role of it, could not: PostgreSQL
    // only warns "no privileges were granted").
    const otherOwner = urlAs({ user: otherUser, password: PASSWORD[otherUser]!, database: other });
    await withClient(otherOwner, (c) => c.query(`GRANT CONNECT ON DATABASE ${other} TO ${mineReader}`));
    try {
      const errors = await refusal({ owner: mineUser, rw: mineUser, ro: mineReader });
      expect(errors.map((e) => [e.code, e.message])).toEqual([
        ['adopt.role-elsewhere', `role ${mineReader} cannot be adopted for ${mine}: it holds CONNECT on database ${other}`],
      ]);
    } finally {
      await withClient(otherOwner, (c) => c.query(`REVOKE CONNECT ON DATABASE ${other} FROM ${mineReader}`));
    }
  });

  it("refuses a role that is a member of another team's owner role", async () => {
    await withClient(adminUrl(), (c) => c.query(`GRANT ${wiki}_owner TO ${mineUser}`));
    try {
      const errors = await refusal({ owner: mineUser, rw: mineUser });
      expect(errors.map((e) => [e.code, e.message])).toEqual([
        ['adopt.role-elsewhere', `role ${mineUser} cannot be adopted for ${mine}: it is a member of ${wiki}_owner (managed from databases/${wiki}.yaml)`],
      ]);
    } finally {
      await withClient(adminUrl(), (c) => c.query(`REVOKE ${wiki}_owner FROM ${mineUser}`));
    }
  });

  it('refuses to adopt a database under an owner it does not have', async () => {
    const errors = await refusal({ owner: mineReader, rw: mineReader });
    expect(errors.map((e) => e.code)).toContain('adopt.owner');
    expect(errors.find((e) => e.code === 'adopt.owner')!.message).toBe(
      `database ${mine} is owned by ${mineUser}, not by ${mineReader} (users.owner): adopting it would give the database to another role`,
    );
  });

  it('adopts the database with its own roles: applied, then no changes, the team keeps its passwords', async () => {
    writeFileSync(join(root, 'databases', `${mine}.yaml`), adoptFile(mine, { owner: mineUser, rw: mineUser, ro: mineReader }));
    expect(await planErrors()).toEqual([]);
    const applied = await run('apply', '--auto-approve');
    expect(applied.code, applied.out + applied.err).toBe(0);
    const again = await run('plan', '--detailed-exitcode');
    expect(again.code, again.out).toBe(0);
    expect((await roleState(mineUser))!.comment).toContain(`databases/${mine}.yaml`);
    expect(await canConnect({ user: mineUser, password: PASSWORD[mineUser]!, database: mine })).toBe(true);
    expect(await canConnect({ user: mineReader, password: PASSWORD[mineReader]!, database: mine })).toBe(true);
    const rotated = await cli(['rotate', mine, '--user', 'rw', '--instance', 'local', '--root', root]);
    expect(rotated.code, rotated.err).toBe(0);
    expect(await canConnect({ user: mineUser, password: await storedPassword(root, 'local', mine), database: mine })).toBe(true);
  });
});
