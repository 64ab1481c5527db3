/** `platon-db --help` as a whole process against a plain Node script printing the same text. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paired, runProcess } from './measure.js';
import { ratioRow, type Row } from './verdict.js';

const FLOOR = join(import.meta.dirname, 'floors', 'print.mjs');

export async function helpBench(runs: number, maxRatio: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'platon-bench-help-'));
  try {
    const help = ['bin/platon-db.js', '--help'];
    const text = join(dir, 'help.txt');
    writeFileSync(text, (await runProcess({ args: help })).stdout);
    const r = await paired(runs, { args: help }, { args: [FLOOR, text] });
    return [ratioRow('platon-db --help (floor: a script printing the same text)', r.measuredMs, r.floorMs, maxRatio)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
