/**
 * No-change `platon-db plan` and the first `apply`, as whole processes against the embedded
 * PostgreSQL 15 the tests use (in RAM, fsync off), each next to a floor run in the same run:
 *   - plan at each size vs. bench/floors/connect-each.mjs (one connection and one catalog query per
 *     database, 4 at a time), alternating; the plan process's peak memory; time(500)/time(200);
 *   - apply of 200 new databases vs. bench/floors/run-sql.mjs running the same statements, measured
 *     before and after the apply on databases of their own and averaged (the server slows a little
 *     as it fills up, so order alone must not decide the ratio).
 * The databases a plan manages are created once by an apply of the same repository.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PASSWORD_PLACEHOLDER } from '../src/model/change.js';
import { scramSha256Verifier } from '../src/adapters/postgres/scram.js';
import { generatePassword } from '../src/adapters/secrets/password.js';
import { units } from '../src/apply/apply.js';
import { quoteLiteral } from '../src/sql/quote.js';
import { dataParent, startTestServer } from '../test/support/test-server.js';
import { generatedFile, generatedName, generatedSpec, planNew } from './bench-harness.js';
import { paired, REPO, runProcess } from './measure.js';
import { limitRow, ratioRow, type Row, type Targets } from './verdict.js';

const CONCURRENCY = 4;
const APPLY_SIZE = 200;
const FLOORS = join(import.meta.dirname, 'floors');

/** A repository with instances/ and an empty databases/ under a fresh folder. */
async function repository(parent: string, name: string): Promise<string> {
  const root = join(parent, name);
  mkdirSync(join(root, 'databases'), { recursive: true });
  cpSync(join(REPO, 'instances'), join(root, 'instances'), { recursive: true });
  return root;
}

/** Writes files for databases [from, to) of `prefix`; returns their names. */
function addFiles(root: string, prefix: string, from: number, to: number): string[] {
  const names: string[] = [];
  for (let i = from; i < to; i++) {
    const spec = generatedSpec(generatedName(prefix, i), i);
    writeFileSync(join(root, 'databases', `${spec.name}.yaml`), generatedFile(spec));
    names.push(spec.name);
  }
  return names;
}

const cli = (root: string, env: Record<string, string>, command: 'plan' | 'apply') => ({
  args: ['bin/platon-db.js', command, '--root', root, '--instance', 'local', ...(command === 'plan' ? ['--detailed-exitcode'] : ['--auto-approve'])],
  env,
  // plan --detailed-exitcode exits 0 only when the plan has no changes: the bench measures a no-change plan.
  expectCode: 0,
});

/** The apply floor, in a process of its own: the plan's statements for N new databases. */
async function applyFloor(adminUrl: string, prefix: string, dir: string, env: Record<string, string>): Promise<number> {
  const plan = await planNew(adminUrl, prefix, APPLY_SIZE);
  const script = units(plan.changes).map((unit) => ({
    database: unit.database ?? null,
    statements: unit.changes.flatMap((c) =>
      c.statements.map((s) => (s.password ? s.sql.replace(PASSWORD_PLACEHOLDER, quoteLiteral(scramSha256Verifier(generatePassword()))) : s.sql)),
    ),
  }));
  const file = join(dir, `${prefix}units.json`);
  writeFileSync(file, JSON.stringify(script));
  return (await runProcess({ args: [join(FLOORS, 'run-sql.mjs'), file], env })).ms;
}

export async function planBench(sizes: readonly number[], runs: number, targets: Targets): Promise<Row[]> {
  const server = await startTestServer();
  const dir = await mkdtemp(join(await dataParent(), 'platon-bench-plan-'));
  // PLATON_COMMIT: the repositories are no git checkouts.
  const env = { PLATON_DATABASE_URL: server.adminUrl, PLATON_COMMIT: 'bench' };
  const rows: Row[] = [];
  try {
    const root = await repository(dir, 'plan');
    const names: string[] = [];
    const planMs = new Map<number, number>();
    for (const n of [...sizes].sort((a, b) => a - b)) {
      names.push(...addFiles(root, 'bp_', names.length, n));
      await runProcess(cli(root, env, 'apply'));
      const list = join(dir, `names-${n}.json`);
      writeFileSync(list, JSON.stringify(names));
      const r = await paired(runs, { ...cli(root, env, 'plan'), maxRss: true }, { args: [join(FLOORS, 'connect-each.mjs'), list, String(CONCURRENCY)], env });
      planMs.set(n, r.measuredMs);
      rows.push(ratioRow(`no-change plan, ${n} databases`, r.measuredMs, r.floorMs, targets.plan));
      rows.push(limitRow(`plan's peak memory, ${n} databases`, Math.max(...r.measuredRuns.map((run) => run.maxRssMb!)), targets.planMemoryMb, 'MB'));
    }
    const [t200, t500] = [planMs.get(200), planMs.get(500)];
    if (t200 !== undefined && t500 !== undefined) rows.push(ratioRow('no-change plan, time(500) / time(200)', t500, t200, targets.planScaling));
    return rows;
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function applyBench(targets: Targets): Promise<Row[]> {
  const server = await startTestServer();
  const dir = await mkdtemp(join(await dataParent(), 'platon-bench-apply-'));
  const env = { PLATON_DATABASE_URL: server.adminUrl, PLATON_COMMIT: 'bench' };
  try {
    const root = await repository(dir, 'apply');
    addFiles(root, 'ba_', 0, APPLY_SIZE);
    const before = await applyFloor(server.adminUrl, 'bf_', dir, env);
    const apply = await runProcess(cli(root, env, 'apply'));
    const after = await applyFloor(server.adminUrl, 'bg_', dir, env);
    await runProcess(cli(root, env, 'plan')); // the apply left nothing to do
    return [ratioRow(`apply ${APPLY_SIZE} new databases (floor: the same SQL as a plain script)`, apply.ms, (before + after) / 2, targets.apply)];
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
