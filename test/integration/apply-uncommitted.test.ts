/**
 * An apply stamps what it changes with the commit it ran from, and the audit takes that stamp as
 * "this reviewed commit is what is live". From a real git checkout whose files differ from HEAD
 * (edited, or not yet added), apply refuses a shared instance, and on the local rehearsal records
 * `<sha>+dirty`, which the audit shows as not reviewed. PLATON_COMMIT (set by CI) is trusted.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlConnector } from '../../src/adapters/postgres/connector.js';
import { runCli } from '../support/run-cli.js';
import { withoutLockWait } from '../support/cli.js';
import { adminUrl, dropPrefixed, uniquePrefix } from '../support/postgres.js';
import { GitRepo, person } from '../support/git-repo.js';

const TOOL = join(import.meta.dirname, '..', '..');
const prefix = uniquePrefix(import.meta.url);
const shop = `${prefix}_shop`;
const wiki = `${prefix}_wiki`;
const alice = person('Alice');
const file = (name: string, limit: number) => `name: ${name}\nteam: shop-team\nproject: Shop\ncontact: shop@example.org\nconnectionLimit: ${limit}\n`;

let repo: GitRepo;
let head: string;

beforeAll(() => {
  repo = GitRepo.create();
  const instances = Object.fromEntries(readdirSync(join(TOOL, 'instances')).map((name) => [`instances/${name}`, readFileSync(join(TOOL, 'instances', name), 'utf8')]));
  head = repo.commit(alice, 'Order the shop (#1)', { ...instances, [`databases/${shop}.yaml`]: file(shop, 20) });
});

afterAll(() => dropPrefixed(prefix));

const run = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--root', repo.root], { cwd: repo.root, env: { PLATON_DATABASE_URL: adminUrl(), ...env } });

async function marker(database: string): Promise<string | undefined> {
  const client = await urlConnector(adminUrl()).connect();
  try {
    const r = await client.query<{ c: string | null }>("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [database]);
    const comment = r.rows[0]?.c;
    return comment ? (JSON.parse(comment) as { commit: string }).commit : undefined;
  } finally {
    await client.end();
  }
}

describe('apply from files that differ from the commit', () => {
  it('refuses the shared instance, naming the edited and the untracked files, before connecting to anything', async () => {
    writeFileSync(join(repo.root, `databases/${shop}.yaml`), file(shop, 40));
    writeFileSync(join(repo.root, `databases/${wiki}.yaml`), file(wiki, 20));
    // No PLATON_DATABASE_URL and no AWS: a refusal that needed the instance would fail otherwise.
    const r = await runCli(['apply', '--root', repo.root, '--instance', 'shared-pg15', '--auto-approve'], { cwd: repo.root, env: {} });
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `error: not applying to instance shared-pg15: files differ from the commit the markers would record (databases/${shop}.yaml, databases/${wiki}.yaml)\n` +
        'hint: commit them first (applies record the commit they ran from); in CI, set PLATON_COMMIT to the commit checked out\n',
    );
    // A plan reads only: it still runs on the edited files.
    const plan = await run(['plan', '--instance', 'local']);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain(`create database ${wiki}`);
  });

  it('applies on the local rehearsal and records <sha>+dirty, which the audit flags as not reviewed', async () => {
    const r = await run(['apply', '--instance', 'local', '--auto-approve']);
    expect(withoutLockWait(r.err)).toBe('');
    expect(r.code).toBe(0);
    expect(await marker(shop)).toBe(`${head}+dirty`);
    const audit = await run(['audit', '--instance', 'local', '--main', 'main', shop]);
    expect(audit.code).toBe(0);
    expect(audit.out).toMatch(new RegExp(`database ${shop} +${head.slice(0, 12)}\\+dirty  UNCOMMITTED\\n`));
    expect(audit.out).toContain(`  ! ${shop}: database ${shop}: last applied from files that differed from ${head.slice(0, 12)} (not committed), which nobody reviewed`);
  });

  it('trusts PLATON_COMMIT, which CI sets to the commit it checked out', async () => {
    writeFileSync(join(repo.root, `databases/${shop}.yaml`), file(shop, 45));
    const r = await run(['apply', '--instance', 'local', '--auto-approve'], { PLATON_COMMIT: 'c1c1c1c1' });
    expect(r.code).toBe(0);
    expect(await marker(shop)).toBe('c1c1c1c1');
  });

  it('records the commit itself once the files are committed', async () => {
    const committed = repo.commit(alice, 'Raise the limit (#2)', { [`databases/${shop}.yaml`]: file(shop, 50), [`databases/${wiki}.yaml`]: file(wiki, 20) });
    const r = await run(['apply', '--instance', 'local', '--auto-approve']);
    expect(r.code).toBe(0);
    expect(await marker(shop)).toBe(committed);
  });
});
