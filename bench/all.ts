/**
 * `npm run bench`: every command as a whole process, as a user runs it, against a floor measured in
 * the same run; one table of ratios; exit 1 when any target is missed (--no-fail or
 * PLATON_BENCH_NO_FAIL=1: report only). Options: bench/verdict.ts (parseBenchArgs).
 */
import { applyBench, planBench } from './plan.bench.js';
import { helpBench } from './help.bench.js';
import { validateBench } from './validate.bench.js';
import { exitCode, missed, parseBenchArgs, renderTable, UsageError, type Row } from './verdict.js';

let options;
try {
  options = parseBenchArgs(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
const { only, runs, targets } = options;
const started = Date.now();
const rows: Row[] = [];
if (only.includes('help')) rows.push(...(await helpBench(runs, targets.help)));
if (only.includes('validate')) rows.push(...(await validateBench(options.files, runs, targets.validate)));
if (only.includes('plan')) rows.push(...(await planBench(options.sizes, runs, targets)));
if (only.includes('apply')) rows.push(...(await applyBench(targets)));
console.log(`platon-db benchmarks, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, medians of ${runs} runs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.stdout.write(renderTable(rows));
for (const line of missed(rows)) console.log(line);
process.exitCode = exitCode(rows, options);
