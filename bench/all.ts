/**
 * `npm run bench`: every benchmark, one table of ratios against floors measured in the same run.
 * Exit code 1 when any row misses its target. Takes a few minutes (500 databases are created twice).
 */
import { printTable } from './measure.js';
import { planBench } from './plan.bench.js';
import { validateBench } from './validate.bench.js';

const rows = [...(await validateBench(1000)), ...(await planBench([50, 200, 500]))];
console.log(`platon-db benchmarks on ${new Date().toISOString()} (node ${process.version})`);
printTable(rows);
if (rows.some((r) => !r.ok)) process.exitCode = 1;
