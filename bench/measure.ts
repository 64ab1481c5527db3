/**
 * Whole processes timed as a user meets them: `node …` spawned, timed from spawn to exit, its output
 * read through pipes as CI reads it. A figure and its floor run alternately in the same run, so
 * noise from the rest of a shared machine falls on both.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../', import.meta.url));
const MAX_RSS = fileURLToPath(new URL('./report-max-rss.mjs', import.meta.url));

export interface ProcessRun {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The process's own peak resident memory (getrusage ru_maxrss), when asked for. */
  readonly maxRssMb?: number;
}

export interface Spawn {
  /** Arguments to `node`, e.g. ['bin/platon-db.js', 'validate']. */
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Report peak memory: preloads bench/report-max-rss.mjs, which writes it to fd 3 at exit. */
  readonly maxRss?: boolean;
  /** The exit code that means the work was done (a failing command measures nothing). */
  readonly expectCode?: number;
}

export function runProcess(run: Spawn): Promise<ProcessRun> {
  const args = run.maxRss ? ['--import', MAX_RSS, ...run.args] : [...run.args];
  // Only what a user's shell would pass that matters here; the bench's own settings stay out.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...run.env };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: run.cwd ?? REPO, env, stdio: ['ignore', 'pipe', 'pipe', run.maxRss ? 'pipe' : 'ignore'] });
    let ended = 0;
    const out = { stdout: '', stderr: '', rss: '' };
    child.stdout!.on('data', (c: Buffer) => (out.stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out.stderr += c.toString()));
    if (run.maxRss) (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => (out.rss += c.toString()));
    child.on('error', reject);
    child.on('exit', () => (ended = performance.now()));
    child.on('close', (code) => {
      const result = { ms: ended - started, code, stdout: out.stdout, stderr: out.stderr, ...(run.maxRss ? { maxRssMb: Number(out.rss) / 1024 } : {}) };
      const expected = run.expectCode ?? 0;
      if (code !== expected) reject(new Error(`node ${run.args.join(' ').slice(0, 200)} exited ${code}, expected ${expected}:\n${out.stdout.slice(-2000)}\n${out.stderr.slice(-2000)}`));
      else resolve(result);
    });
  });
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface Paired {
  readonly measuredMs: number;
  readonly floorMs: number;
  readonly measuredRuns: readonly ProcessRun[];
}

/** `runs` of each, alternating which goes first; the medians. */
export async function paired(runs: number, measured: Spawn, floor: Spawn): Promise<Paired> {
  const m: ProcessRun[] = [];
  const f: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      f.push(await runProcess(floor));
      m.push(await runProcess(measured));
    } else {
      m.push(await runProcess(measured));
      f.push(await runProcess(floor));
    }
  }
  return { measuredMs: median(m.map((r) => r.ms)), floorMs: median(f.map((r) => r.ms)), measuredRuns: m };
}

