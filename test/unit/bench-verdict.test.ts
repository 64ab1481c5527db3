/**
 * `npm run bench` (issue 14): each figure against its floor, and a non-zero exit when one misses its
 * target, because a CI step fails only when its process exits non-zero (GitHub Actions: "If a step
 * exits with a code other than 0, the job fails"), so a regression stays visible.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exitCode, limitRow, missed, parseBenchArgs, ratioRow, renderTable, TARGETS, UsageError } from '../../bench/verdict.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('a figure against its floor', () => {
  it('is within "1.5x of its floor" up to and including 1.5 times the floor, and misses above', () => {
    expect(ratioRow('validate', 150, 100, 1.5)).toMatchObject({ ratio: 1.5, ok: true, target: '<= 1.5x' });
    expect(ratioRow('validate', 151, 100, 1.5)).toMatchObject({ ok: false });
  });

  it('misses when the floor could not be measured (0 ms), instead of passing on a division by zero', () => {
    expect(ratioRow('help', 0, 0, 1.5).ok).toBe(false);
  });

  it('peak memory "under 250 MB" misses at 250 MB', () => {
    expect(limitRow('memory', 249, 250, 'MB').ok).toBe(true);
    expect(limitRow('memory', 250, 250, 'MB').ok).toBe(false);
  });

  it('prints the ratio with its floor and target, and names each miss', () => {
    const rows = [ratioRow('no-change plan, 200 databases', 1800, 1000, 1.5), ratioRow('--help', 60, 50, 1.5)];
    expect(renderTable(rows)).toContain('| no-change plan, 200 databases | 1800 ms  | 1000 ms | 1.80x | <= 1.5x | NO  |');
    expect(missed(rows)).toEqual(['missed: no-change plan, 200 databases: 1.80x (target <= 1.5x)']);
  });
});

describe('the exit code', () => {
  const over = [ratioRow('a', 100, 100, 1.5), ratioRow('b', 200, 100, 1.5)];
  it('is 1 when any figure misses its target, 0 when none does', () => {
    expect(exitCode(over, { noFail: false })).toBe(1);
    expect(exitCode(over.slice(0, 1), { noFail: false })).toBe(0);
  });

  it('is 0 with --no-fail or PLATON_BENCH_NO_FAIL=1 (report only)', () => {
    expect(exitCode(over, parseBenchArgs(['--no-fail'], {}))).toBe(0);
    expect(exitCode(over, parseBenchArgs([], { PLATON_BENCH_NO_FAIL: '1' }))).toBe(0);
  });

  it("holds issue 14's targets unless --max-ratio replaces every ratio target", () => {
    expect(parseBenchArgs([], {}).targets).toEqual({ help: 1.5, validate: 1.5, plan: 1.5, planScaling: 2.6, planMemoryMb: 250, apply: 1.2 });
    expect(parseBenchArgs(['--max-ratio', '0.5'], {}).targets).toEqual({ ...TARGETS, help: 0.5, validate: 0.5, plan: 0.5, planScaling: 0.5, apply: 0.5 });
    expect(() => parseBenchArgs(['--only', 'plna'], {})).toThrow(UsageError);
  });
});

describe('npm run bench', () => {
  const bench = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, ['bin/run-ts.js', 'bench/all.ts', '--only', 'help', '--runs', '1', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );

  it("the validate floor checks this repository's files with the same schemas the tool uses (a schema keyword it does not know would stop the whole bench)", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bench/floors/validate.mjs', ROOT, ROOT], { cwd: ROOT });
    expect(stdout).toContain('no problems');
  });

  it('exits 1 and names the miss when a target is impossibly low; PLATON_BENCH_NO_FAIL=1 only reports it', async () => {
    const [failing, reporting] = await Promise.all([bench(['--max-ratio', '0.01']), bench(['--max-ratio', '0.01'], { PLATON_BENCH_NO_FAIL: '1' })]);
    expect(failing.stdout).toMatch(/^missed: platon-db --help .*target <= 0\.01x\)$/m);
    expect(failing.code).toBe(1);
    expect(reporting.stdout).toMatch(/^missed: platon-db --help/m);
    expect(reporting.code).toBe(0);
  });
});
