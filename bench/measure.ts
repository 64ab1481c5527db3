/** Small helpers the benchmarks share: timing, medians, peak memory, the ratio table. */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/** Whether this module is the script being run (bench/run-ts.js sets argv[1] to it). */
export const isMain = (url: string): boolean => process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await timed(fn)).ms);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Samples this process's resident memory while `fn` runs; returns the peak in MB. */
export async function peakRssMb<T>(fn: () => Promise<T>): Promise<{ mb: number; value: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { mb: peak / 1024 / 1024, value };
  } finally {
    clearInterval(timer);
  }
}

export interface Row {
  readonly name: string;
  readonly measured: string;
  readonly floor: string;
  readonly ratio: number | null;
  readonly target: string;
  readonly ok: boolean;
}

export function printTable(rows: readonly Row[]): void {
  const header = ['benchmark', 'measured', 'floor', 'ratio', 'target', 'ok'];
  const cells = rows.map((r) => [r.name, r.measured, r.floor, r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`, r.target, r.ok ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}
