/**
 * The pure part of `npm run bench`: a row per figure (measured, floor, ratio, target, verdict), the
 * table, the exit code and the command line. No timing and no I/O here, so it is unit-tested.
 */

export interface Row {
  readonly name: string;
  readonly measured: string;
  readonly floor: string;
  /** measured / floor; null for a figure with no floor (peak memory). */
  readonly ratio: number | null;
  readonly target: string;
  readonly ok: boolean;
}

/** A figure against the floor measured in the same run: over `maxRatio` times the floor misses. */
export function ratioRow(name: string, measuredMs: number, floorMs: number, maxRatio: number): Row {
  const ratio = measuredMs / floorMs;
  const ms = duration(Math.max(measuredMs, floorMs));
  return { name, measured: ms(measuredMs), floor: ms(floorMs), ratio, target: `<= ${maxRatio}x`, ok: Number.isFinite(ratio) && ratio <= maxRatio };
}

/** A figure with an absolute limit (peak memory): at or over `limit` misses. */
export function limitRow(name: string, value: number, limit: number, unit: string): Row {
  return { name, measured: `${value.toFixed(0)} ${unit}`, floor: '-', ratio: null, target: `< ${limit} ${unit}`, ok: value < limit };
}

/** Seconds from 10 s up, else milliseconds; one unit for a figure and its floor. */
const duration = (largest: number) => (value: number): string => (largest >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`);

export function renderTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'measured', 'floor', 'ratio', 'target', 'ok'];
  const cells = rows.map((r) => [r.name, r.measured, r.floor, r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`, r.target, r.ok ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n') + '\n';
}

/** The lines naming each missed target, for the end of the output. */
export const missed = (rows: readonly Row[]): string[] =>
  rows.filter((r) => !r.ok).map((r) => `missed: ${r.name}: ${r.ratio === null ? r.measured : `${r.ratio.toFixed(2)}x`} (target ${r.target})`);

/** 1 when any target is missed, so CI sees a regression; 0 with --no-fail (report only). */
export const exitCode = (rows: readonly Row[], options: { readonly noFail: boolean }): number => (!options.noFail && rows.some((r) => !r.ok) ? 1 : 0);

export const GROUPS = ['help', 'validate', 'plan', 'apply'] as const;
export type Group = (typeof GROUPS)[number];

/** The targets of issue 14; `--max-ratio` replaces every ratio target (to check the exit code). */
export interface Targets {
  readonly help: number;
  readonly validate: number;
  readonly plan: number;
  /** time(500 databases) / time(200 databases) of a no-change plan: linear growth is 2.5. */
  readonly planScaling: number;
  readonly planMemoryMb: number;
  readonly apply: number;
}

export const TARGETS: Targets = { help: 1.5, validate: 1.5, plan: 1.5, planScaling: 2.6, planMemoryMb: 250, apply: 1.2 };

export interface BenchOptions {
  readonly only: readonly Group[];
  readonly runs: number;
  readonly sizes: readonly number[];
  readonly files: number;
  readonly noFail: boolean;
  readonly targets: Targets;
}

export class UsageError extends Error {}

const USAGE = 'usage: npm run bench -- [--only help,validate,plan,apply] [--runs N] [--sizes 50,200,500] [--files 1000] [--no-fail] [--max-ratio X]';

/** The command line, and PLATON_BENCH_NO_FAIL=1 for CI steps that only report. */
export function parseBenchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): BenchOptions {
  let only: readonly Group[] = GROUPS;
  let runs = 5;
  let sizes: readonly number[] = [50, 200, 500];
  let files = 1000;
  let noFail = env.PLATON_BENCH_NO_FAIL === '1';
  let targets = TARGETS;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const positive = (v: string): number => {
      const n = Number(v);
      if (!(n > 0)) throw new UsageError(`${flag}: ${v} is not a positive number\n${USAGE}`);
      return n;
    };
    if (flag === '--no-fail') noFail = true;
    else if (flag === '--runs') runs = Math.round(positive(value()));
    else if (flag === '--files') files = Math.round(positive(value()));
    else if (flag === '--sizes') sizes = value().split(',').map((s) => Math.round(positive(s)));
    else if (flag === '--max-ratio') {
      const max = positive(value());
      targets = { ...targets, help: max, validate: max, plan: max, planScaling: max, apply: max };
    } else if (flag === '--only') {
      const names = value().split(',');
      const unknown = names.filter((n) => !(GROUPS as readonly string[]).includes(n));
      if (unknown.length > 0) throw new UsageError(`--only: unknown ${unknown.join(', ')}\n${USAGE}`);
      only = names as Group[];
    } else throw new UsageError(`unknown option ${flag}\n${USAGE}`);
  }
  return { only, runs, sizes, files, noFail, targets };
}
