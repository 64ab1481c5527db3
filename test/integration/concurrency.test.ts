/**
 * Concurrency (issue 7, item 2): two platon-db processes on one instance. The second waits for the
 * instance's apply lock (and says so) or, with --lock-timeout 0, stops with one clear line; either
 * way the end state is what one apply gives, the plan is empty and every secret was written once.
 * The same for an apply that meets a rotate.
 *
 * To make the meeting certain rather than likely, the first process is frozen (SIGSTOP) while it
 * holds the lock, until the second has said that it waits; then it is let go (SIGCONT). The two
 * applies are both child processes; elsewhere the second party runs in-process (the same CLI
 * code, one process start less).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePlan } from '../../src/app/plan.js';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { startCli, startInProcess, type RunningChild } from '../support/cli-child.js';
import { manyDatabases, writeLocalRepo } from '../support/local-repo.js';
import { adminUrl, canConnect, dropPrefixed, uniquePrefix } from '../support/postgres.js';
import { vaultWorld, writeDatabaseFile, type VaultWorld } from '../support/vault-repo.js';

const prefix = uniquePrefix(import.meta.url);
const env = { PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: 'c0ffee' };
/** Runs `fn` while `running` is frozen (SIGSTOP), then lets it go on. */
async function frozen<T>(running: RunningChild, fn: () => Promise<T>): Promise<T> {
  running.child.kill('SIGSTOP');
  try {
    return await fn();
  } finally {
    running.child.kill('SIGCONT');
  }
}

const waiting = (instance: string) => `another platon-db run is applying to instance ${instance}; waiting up to`;

afterAll(() => dropPrefixed(prefix));

async function planIsEmpty(root: string, extraEnv: Record<string, string> = {}): Promise<void> {
  const plan = await makePlan({ root, env: { ...env, ...extraEnv }, allowDestroy: false, log: () => undefined });
  expect(plan.kind === 'planned' && [...plan.plan.changes.map((c) => c.summary), ...plan.plan.errors.map((e) => e.message)]).toEqual([]);
}

describe('two applies on one instance', () => {
  const instance = `conc-${prefix.slice(-6)}`;
  const databases = manyDatabases(`${prefix}_a`, 4);
  let root: string;
  beforeAll(async () => {
    root = await writeLocalRepo(instance, databases);
  });

  it('the second waits for the first, then finds nothing left to do; every secret was written once', async () => {
    const args = ['apply', '--auto-approve', '--root', root];
    const first = startCli(args, env);
    // Once the plan is printed, the first holds the lock (it plans under it) and is applying.
    await first.waitFor(/^platon-db plan for instance /m);
    const second = startCli(args, env);
    await frozen(first, () => second.waitFor(new RegExp(waiting(instance))));
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stderr).not.toContain('waiting');
    expect(b.stderr).toContain(waiting(instance));
    expect(a.stdout).toMatch(/Apply complete: \d+ changes applied/);
    expect(b.stdout).toContain('No changes.');

    const store = new FileSecretStore({ store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' }, { root, instance });
    for (const db of databases) {
      for (const user of db.readOnly ? (['rw', 'ro'] as const) : (['rw'] as const)) {
        const versions = await store.versions(store.refFor(db.name, user));
        expect(versions, `${db.name} ${user}`).toHaveLength(1);
        expect(await canConnect({ user: `${db.name}_${user}`, password: versions[0]!.credentials.password, database: db.name })).toBe(true);
      }
    }
    await planIsEmpty(root);
  });

  it('with --lock-timeout 0 the second stops at once with one clear line and changes nothing', async () => {
    const more = `${prefix}_a_more`;
    await writeDatabaseFile(root, more, true);
    const first = startCli(['apply', '--auto-approve', '--root', root], env);
    await first.waitFor(/^platon-db plan for instance /m);
    const second = await frozen(first, () => startInProcess(['apply', '--auto-approve', '--root', root, '--lock-timeout', '0'], env, root).done);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `error: another platon-db run holds the apply lock on instance ${instance}; gave up after 0 s\n` +
        'hint: wait for the other run to finish, or raise --lock-timeout\n',
    );
    expect(second.stdout).toBe('');
    expect((await first.done).code).toBe(0);
    await planIsEmpty(root);
  });
});

describe('apply and rotate on one instance', () => {
  let world: VaultWorld;
  const instance = `concr-${prefix.slice(-6)}`;
  const shop = `${prefix}_v_shop`;
  const writesTo = (key: string) => world.vault.kv.written.filter((w) => w.key === `secret/platon/rds/${instance}/${key}`).length;

  beforeAll(async () => {
    world = await vaultWorld(`${prefix}_v`, instance);
    const applied = await startInProcess(['apply', '--auto-approve', '--root', world.root], world.env, world.root).done;
    if (applied.code !== 0) throw new Error(applied.stderr);
  });
  afterAll(() => world.close());

  it('an apply started during a rotate waits for it; the rotated secret has two versions, every other one', async () => {
    const fresh = `${prefix}_v_new`;
    await writeDatabaseFile(world.root, fresh, true);
    const seen = world.vault.requests.length;
    const rotate = startCli(['rotate', shop, '--root', world.root], world.env);
    // The rotate reads the secret it replaces only once it holds the lock.
    const readsRotated = () => world.vault.requests.slice(seen).some((r) => r.method === 'GET' && r.path.endsWith(`${shop}/rw`));
    while (!readsRotated()) await new Promise((resolve) => setTimeout(resolve, 5));
    const apply = startInProcess(['apply', '--auto-approve', '--root', world.root], world.env, world.root);
    await frozen(rotate, () => apply.waitFor(new RegExp(waiting(instance))));
    const [r, a] = await Promise.all([rotate.done, apply.done]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Rotated the password of role ${shop}_rw on instance ${instance}.`);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain(`create database ${fresh}`);

    expect(writesTo(`${shop}/rw`)).toBe(2);
    for (const key of [`${shop}/ro`, `${prefix}_v_blog/rw`, `${fresh}/rw`, `${fresh}/ro`]) expect(writesTo(key), key).toBe(1);
    const latest = world.vault.versions('secret', `platon/rds/${instance}/${shop}/rw`).at(-1)!;
    expect(await canConnect({ user: `${shop}_rw`, password: String(latest.data.password), database: shop })).toBe(true);
    await planIsEmpty(world.root, world.env);
  });

  it('a rotate started during an apply waits for it, then rotates', async () => {
    const later = `${prefix}_v_later`;
    await writeDatabaseFile(world.root, later, false);
    const apply = startCli(['apply', '--auto-approve', '--root', world.root], world.env);
    await apply.waitFor(/^platon-db plan for instance /m);
    const rotate = startInProcess(['rotate', later, '--root', world.root], world.env, world.root);
    await frozen(apply, () => rotate.waitFor(new RegExp(waiting(instance))));
    const [a, r] = await Promise.all([apply.done, rotate.done]);
    expect(a.code, a.stderr).toBe(0);
    expect(r.code, r.stderr).toBe(0);
    expect(writesTo(`${later}/rw`)).toBe(2);
    const latest = world.vault.versions('secret', `platon/rds/${instance}/${later}/rw`).at(-1)!;
    expect(latest.version).toBe(2);
    expect(await canConnect({ user: `${later}_rw`, password: String(latest.data.password), database: later })).toBe(true);
    await planIsEmpty(world.root, world.env);
  });
});
