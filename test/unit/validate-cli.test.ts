/** `platon-db validate` through the CLI: exit codes, formats, usage errors; once as a real process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { REPO, tempRepo, validDatabase } from './validate-helpers.js';

const run = runCli;

const valid = () => tempRepo({ 'databases/app.yaml': validDatabase('app') });
const invalid = () => tempRepo({ 'databases/app.yaml': validDatabase('app', 'connectionLimit: 0\n') });
const warningOnly = () => tempRepo({ 'databases/app.yaml': validDatabase('app', 'extensions: [citext, citext]\n') });

describe('platon-db validate', () => {
  it.each([
    ['a valid repository', valid, [], 0],
    ['warnings only', warningOnly, [], 0],
    ['an invalid repository', invalid, [], 1],
    ['an invalid repository, json', invalid, ['--format', 'json'], 1],
    ['an invalid repository, github', invalid, ['--format', 'github'], 1],
  ] as const)('exits %s -> %i', async (_, make, extra, expected) => {
    expect((await run(['validate', '--root', make(), ...extra])).code).toBe(expected);
  });

  it('validates the current folder by default', async () => {
    const result = await run(['validate']);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/database files and 2 instance files: no problems\.\n$/);
  });

  it('resolves a relative --root against the working folder', async () => {
    const root = invalid();
    expect((await run(['validate', '--root', relative(REPO, root)])).code).toBe(1);
  });

  it.each([
    [['validate', '--format', 'xml'], /argument 'xml' is invalid\. Allowed choices are text, github, json/],
    [['validate', '--root'], /option '--root <dir>' argument missing/],
    [['validate', '--nope'], /unknown option '--nope'/],
    [['validate', 'extra'], /too many arguments/],
  ])('treats %j as a usage error (exit 2)', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });

  it('reports a missing root in one line, without a stack trace, as a usage error', async () => {
    const result = await run(['validate', '--root', '/no/such/folder']);
    expect(result.code).toBe(2);
    expect(result.err).toBe('error: /no/such/folder is not a folder\nhint: pass --root with the path of the platon-db repository (the folder with databases/ and instances/)\n');
  });

  it('prints help', async () => {
    const result = await run(['validate', '--help']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('--format <format>');
    expect(result.out).toContain('--root <dir>');
  });

  it('prints json that scripts can read', async () => {
    const result = await run(['validate', '--root', invalid(), '--format', 'json']);
    expect(JSON.parse(result.out)).toEqual({
      valid: false,
      diagnostics: [expect.objectContaining({ severity: 'error', code: 'connection-limit.out-of-range', file: 'databases/app.yaml', line: 6, column: 18 })],
    });
  });

  it('never colours output that is not a terminal, and does when it is', async () => {
    expect((await run(['validate', '--root', invalid()])).out).not.toMatch(/\x1b\[/);
    expect((await run(['validate', '--root', invalid()], { isTty: true })).out).toMatch(/\x1b\[31merror/);
  });

  it('writes the github step summary when GITHUB_STEP_SUMMARY is set', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'platon-summary-')), 'summary.md');
    const result = await run(['validate', '--root', invalid(), '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(result.out).toMatch(/^::error file=databases\/app\.yaml,line=6,col=18,title=connection-limit\.out-of-range::/);
    expect(readFileSync(summary, 'utf8')).toContain('| ❌ | `databases/app.yaml:6:18` | `connection-limit.out-of-range` |');
  });

  it('names annotation files relative to the workspace when --root is below it', async () => {
    const root = invalid();
    const result = await run(['validate', '--root', root, '--format', 'github'], { cwd: join(root, '..') });
    expect(result.out).toMatch(new RegExp(`^::error file=${root.split('/').at(-1)}/databases/app\\.yaml,line=6`));
  });

  it('reports hostile input as diagnostics, never a stack trace', async () => {
    const root = tempRepo({ 'databases/bomb.yaml': `a: &a [x, x]\nb: &b [*a, *a]\nc: ${'['.repeat(5000)}\n`, 'databases/bin.yaml': new Uint8Array([0, 1, 2, 0xff]) });
    const result = await run(['validate', '--root', root]);
    expect(result.code).toBe(1);
    expect(result.err).toBe('');
    expect(result.out).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('the installed command (node bin/platon-db.js, what npx platon-db runs)', () => {
  it('validates in a real process with the right exit code and output', () => {
    const root = invalid();
    const result = spawnSync(process.execPath, [join(REPO, 'bin/platon-db.js'), 'validate', '--root', root, '--format', 'json'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).valid).toBe(false);
    expect(result.status).toBe(1);
  });
});
