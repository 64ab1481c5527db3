/**
 * `npm run bench:plan`: plan and apply at N managed databases on an embedded PostgreSQL, each next
 * to a floor measured in the same run (the machine is noisy, so only ratios mean anything):
 *   - a no-change plan vs. one connection per database and one query each, same concurrency;
 *   - the first apply of N new databases vs. a plain script running the same statements;
 *   - peak memory of this process during both.
 * Usage: npm run bench:plan [-- 50 200 500]
 */
import pLimit from 'p-limit';
import { PASSWORD_PLACEHOLDER, type Plan } from '../src/model/change.js';
import { urlConnector, type Connector } from '../src/adapters/postgres/connector.js';
import { scramSha256Verifier } from '../src/adapters/postgres/scram.js';
import { generatePassword } from '../src/adapters/secrets/password.js';
import { units } from '../src/apply/apply.js';
import { quoteLiteral } from '../src/sql/quote.js';
import { startTestServer } from '../test/support/test-server.js';
import { benchHarness } from './bench-harness.js';
import { isMain, medianMs, peakRssMb, printTable, timed, type Row } from './measure.js';

const CONCURRENCY = 4;

/** The floor of apply: the plan's statements, verifiers computed beforehand, run in order, no transactions. */
async function scriptFloor(connector: Connector, plan: Plan): Promise<number> {
  const resolved = plan.changes.map((c) => ({
    ...c,
    statements: c.statements.map((s) =>
      s.password ? { sql: s.sql.replace(PASSWORD_PLACEHOLDER, quoteLiteral(scramSha256Verifier(generatePassword()))) } : s,
    ),
  }));
  const { ms } = await timed(async () => {
    const maintenance = await connector.connect();
    for (const unit of units(resolved)) {
      const client = unit.database ? await connector.connect(unit.database) : maintenance;
      for (const change of unit.changes) for (const s of change.statements) await client.query(s.sql);
      if (client !== maintenance) await client.end();
    }
    await maintenance.end();
  });
  return ms;
}

/** The floor of a no-change plan: one connection per database and one query each. */
async function inspectFloor(connector: Connector, databases: readonly string[]): Promise<void> {
  const limit = pLimit(CONCURRENCY);
  await Promise.all(
    databases.map((db) =>
      limit(async () => {
        const client = await connector.connect(db);
        await client.query('SELECT extname FROM pg_extension');
        await client.end();
      }),
    ),
  );
}

export async function planBench(NS: readonly number[] = [50, 200]): Promise<Row[]> {
  const server = await startTestServer();
  const rows: Row[] = [];
  try {
    const connector = urlConnector(server.adminUrl);
    for (const n of NS) {
      const applied = await benchHarness(server.adminUrl, `ba${n}_`, n);
      // The server slows a little as it fills up, so the floor is measured before and after the
      // apply (each on databases of its own) and averaged: order alone must not decide the ratio.
      const before = await scriptFloor(connector, await (await benchHarness(server.adminUrl, `bf${n}_`, n)).plan());
      const apply = await peakRssMb(() => timed(() => applied.apply()));
      const after = await scriptFloor(connector, await (await benchHarness(server.adminUrl, `bg${n}_`, n)).plan());
      const floorMs = (before + after) / 2;
      rows.push({
        name: `apply ${n} new databases`,
        measured: `${(apply.value.ms / 1000).toFixed(2)} s`,
        floor: `${(floorMs / 1000).toFixed(2)} s`,
        ratio: apply.value.ms / floorMs,
        target: '<= 1.2x',
        ok: apply.value.ms / floorMs <= 1.2,
      });
      const names = applied.names;
      const planMs = await medianMs(5, () => applied.plan());
      const floorPlanMs = await medianMs(5, () => inspectFloor(connector, names));
      rows.push({
        name: `no-change plan, ${n} databases`,
        measured: `${planMs.toFixed(0)} ms`,
        floor: `${floorPlanMs.toFixed(0)} ms`,
        ratio: planMs / floorPlanMs,
        target: '<= 1.5x',
        ok: planMs / floorPlanMs <= 1.5,
      });
      const memory = await peakRssMb(() => applied.plan());
      const peak = Math.max(memory.mb, apply.mb);
      rows.push({ name: `peak memory, ${n} databases`, measured: `${peak.toFixed(0)} MB`, floor: '-', ratio: null, target: '< 200 MB', ok: peak < 200 });
      const check = await applied.plan();
      if (check.changes.length > 0) throw new Error(`plan after apply is not empty at N=${n}`);
    }
  } finally {
    await server.stop();
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const rows = await planBench(sizes.length > 0 ? sizes : [50, 200]);
  printTable(rows);
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}
