/**
 * Crash safety (issue 7, item 1). The real CLI, in a child process, applies 30 new databases and
 * is SIGKILLed at one point of that apply (a test hook: src/cli/test-hooks.ts); then apply runs
 * again. At every point the instance must end up exactly as a clean apply leaves it (catalog
 * snapshot, names normalised), every login user must have its secret and log in with it, no
 * secret may have been replaced, and a new plan must be empty.
 *
 * Each point works on names of its own and an instance name of its own (so its own apply lock),
 * which lets a few points run side by side on the one server.
 */
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { PlannedChange } from '../../src/model/change.js';
import { units } from '../../src/apply/apply.js';
import { makePlan } from '../../src/app/plan.js';
import { main } from '../../src/cli/main.js';
import { FileSecretStore } from '../../src/adapters/secrets/file-store.js';
import { catalogSnapshot, normalised } from '../support/catalog-snapshot.js';
import { runCli } from '../support/cli-child.js';
import { manyDatabases, writeLocalRepo } from '../support/local-repo.js';
import { adminUrl, canConnect, dropPrefixed, uniquePrefix } from '../support/postgres.js';

const prefix = uniquePrefix(import.meta.url);
const COUNT = 30;
const env = () => ({ PLATON_DATABASE_URL: adminUrl(), PLATON_COMMIT: 'c0ffee0123456789' });
const admin = () => decodeURIComponent(new URL(adminUrl()).username);

/** One world: its names, its repository, its instance. */
interface World {
  readonly names: string;
  readonly instance: string;
  readonly root: string;
}

async function world(tag: string): Promise<World> {
  const names = `${prefix}_${tag}`;
  const instance = `crash-${prefix.slice(-6)}-${tag}`;
  return { names, instance, root: await writeLocalRepo(instance, manyDatabases(names, COUNT)) };
}

const snapshotOf = async (w: World) =>
  normalised(await catalogSnapshot(adminUrl(), w.names), [
    [w.names, 'P'],
    [admin(), 'ADMIN'],
  ]);

/** Where a kill can happen, in the order the applier reaches it. */
interface KillPoint {
  readonly label: string;
  readonly env: Record<string, string>;
  /** How many changes the killed run reports applied (committed) before it dies. */
  readonly appliedBefore: number;
}

/**
 * Mirrors apply.ts's statement count (per change inside a transaction, per statement outside one)
 * and picks points spread over every kind of unit: roles and memberships (one transaction),
 * CREATE DATABASE (between it and its COMMENT too), the cluster grants, the work inside databases.
 */
function killPoints(changes: readonly PlannedChange[]): KillPoint[] {
  const events: { count: number; change: PlannedChange; statement: number; appliedBefore: number }[] = [];
  let count = 0;
  let appliedBefore = 0;
  for (const unit of units(changes)) {
    for (const change of unit.changes) {
      if (change.placement.target === 'allowlist') continue;
      if (unit.transactional) events.push({ count: (count += change.statements.length), change, statement: -1, appliedBefore });
      else change.statements.forEach((_, i) => events.push({ count: ++count, change, statement: i, appliedBefore }));
    }
    appliedBefore += unit.changes.length;
  }
  const of = (kind: string) => events.filter((e) => e.change.change.kind === kind);
  const db = (i: number) => `_d${String(i).padStart(2, '0')}`;
  const inside = events.filter((e) => e.change.placement.target === 'database');
  const insideOf = (i: number) => inside.filter((e) => e.change.change.database.endsWith(db(i)));
  const roles = of('create-role');
  const creates = of('create-database');
  const picked: [string, (typeof events)[number] | undefined][] = [
    ['after the first CREATE ROLE', roles[0]],
    ['after the first login role (its secret stored)', roles.find((e) => e.change.change.kind === 'create-role' && e.change.change.login)],
    ['in the middle of the roles', roles[Math.floor(roles.length / 2)]],
    ['after the last CREATE ROLE', roles.at(-1)],
    ['after the first membership', of('grant-membership')[0]],
    ['before the roles commit (every secret stored)', of('grant-membership').at(-1)],
    ['between the first CREATE DATABASE and its COMMENT', creates.find((e) => e.statement === 0)],
    ['between CREATE DATABASE and COMMENT, database 15', creates.filter((e) => e.statement === 0)[14]],
    ['between the last CREATE DATABASE and its COMMENT', creates.filter((e) => e.statement === 0).at(-1)],
    ['after the last COMMENT ON DATABASE', creates.at(-1)],
    ['after the first REVOKE ... FROM PUBLIC', of('revoke-public')[0]],
    ['in the middle of GRANT CONNECT', of('grant-connect')[Math.floor(of('grant-connect').length / 2)]],
    ['before the cluster grants commit', of('set-role-setting').at(-1)],
    ['inside the first database, after its first change', insideOf(0)[0]],
    ['inside the first database, before its commit', insideOf(0).at(-1)],
    ['inside database 21, before its commit', insideOf(20).at(-1)],
    ['after the very last statement, before its commit', events.at(-1)],
  ];
  const loginRoles = roles.filter((e) => e.change.change.kind === 'create-role' && e.change.change.login).length;
  const points: KillPoint[] = picked.map(([label, event]) => {
    if (!event) throw new Error(`no statement for kill point "${label}"`);
    return { label: `${label} (statement ${event.count})`, env: { PLATON_TEST_KILL_AFTER_STATEMENT: String(event.count) }, appliedBefore: event.appliedBefore };
  });
  const beforeRoles = events[0]!.appliedBefore;
  for (const n of [1, Math.ceil(loginRoles / 2), loginRoles]) {
    points.push({ label: `after secret ${n} of ${loginRoles} is stored, before its role exists`, env: { PLATON_TEST_KILL_AFTER_SECRET: String(n) }, appliedBefore: beforeRoles });
  }
  return points;
}

/** Every secret file of a world: path -> the passwords of its versions. */
async function secretsOf(w: World): Promise<Map<string, string[]>> {
  const store = new FileSecretStore({ store: 'file', directory: '.platon/secrets', pathTemplate: '{instance}/{database}/{user}' }, { root: w.root, instance: w.instance });
  const out = new Map<string, string[]>();
  for (const spec of manyDatabases(w.names, COUNT)) {
    for (const user of ['rw', 'ro'] as const) {
      const ref = store.refFor(spec.name, user);
      const versions = await store.versions(ref);
      if (versions.length > 0) out.set(`${spec.name}/${user}`, versions.map((v) => v.credentials.password));
    }
  }
  return out;
}

const loginUsers = (w: World) =>
  manyDatabases(w.names, COUNT).flatMap((db) => [{ db: db.name, user: 'rw' as const }, ...(db.readOnly ? [{ db: db.name, user: 'ro' as const }] : [])]);

async function applyInProcess(w: World): Promise<{ code: number; out: string }> {
  let out = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t), isTty: false, cwd: w.root, env: env() };
  return { code: await main(['apply', '--auto-approve', '--root', w.root], io), out };
}

// The reference world is planned while the file is collected, so each kill point is a test of its own.
const ref = await world('ref');
const planned = await makePlan({ root: ref.root, env: env(), allowDestroy: false, log: () => undefined });
if (planned.kind !== 'planned') throw new Error('the reference repository is invalid');
const points = killPoints(planned.plan.changes);
let reference: string;
const timings: string[] = [];

beforeAll(async () => {
  const clean = await applyInProcess(ref);
  if (clean.code !== 0) throw new Error(`the clean apply failed:\n${clean.out}`);
  reference = await snapshotOf(ref);
  await dropPrefixed(ref.names);
}, 120_000);

afterAll(async () => {
  if (process.env.PLATON_TEST_TIMING) console.log(timings.join('\n'));
  await dropPrefixed(prefix);
});

// Three at a time: each point is one child process and one in-process apply; more only queue on the CPU.
const pool = pLimit(Number(process.env.PLATON_TEST_CRASH_POOL ?? 3));

describe('SIGKILL during an apply of 30 new databases, then apply again', () => {
  it('kills at 20 distinct points', ({ expect }) => {
    expect(new Set(points.map((p) => JSON.stringify(p.env))).size).toBe(20);
  });

  points.forEach((point, i) => {
    it.concurrent(`kill point ${i + 1}: ${point.label}`, ({ expect }) =>
      pool(async () => {
        const started = Date.now();
        const phases: string[] = [];
        let last = started;
        const lap = (name: string) => {
          phases.push(`${name} ${Date.now() - last}`);
          last = Date.now();
        };
        const w = await world(`p${String(i).padStart(2, '0')}`);

        const killed = await runCli(['apply', '--auto-approve', '--root', w.root], { ...env(), ...point.env });
        expect(killed.signal, `${killed.stdout}\n${killed.stderr}`).toBe('SIGKILL');
        expect(killed.stdout.match(/^ {2}applied \d+\//gm)?.length ?? 0).toBe(point.appliedBefore);
        const left = await secretsOf(w);
        lap('killed');

        const resumed = await applyInProcess(w);
        expect(resumed.code, resumed.out).toBe(0);
        lap('resumed');

        const secrets = await secretsOf(w);
        for (const [path, passwords] of left) expect(secrets.get(path), `secret ${path} was replaced`).toEqual(passwords);
        const users = loginUsers(w);
        expect([...secrets.keys()].sort()).toEqual(users.map((u) => `${u.db}/${u.user}`).sort());
        for (const [path, versions] of secrets) expect(versions, path).toHaveLength(1);

        const logins = pLimit(6);
        const refused = await Promise.all(
          users.map((u) =>
            logins(async () => {
              const password = secrets.get(`${u.db}/${u.user}`)![0]!;
              return (await canConnect({ user: `${u.db}_${u.user}`, password, database: u.db })) ? [] : [`${u.db}_${u.user}`];
            }),
          ),
        );
        expect(refused.flat()).toEqual([]);
        lap('logins');

        expect(await snapshotOf(w)).toBe(reference);
        lap('snapshot');
        const again = await makePlan({ root: w.root, env: env(), allowDestroy: false, log: () => undefined });
        expect(again.kind === 'planned' && again.plan.changes.map((c) => c.summary)).toEqual([]);
        expect(again.kind === 'planned' && again.plan.errors).toEqual([]);

        lap('plan');
        await dropPrefixed(w.names);
        lap('drop');
        timings.push(`${Date.now() - started} ms  ${point.label}  (${phases.join(', ')})`);
      }),
    180_000);
  });
});
