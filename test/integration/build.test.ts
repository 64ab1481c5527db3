/**
 * bin/platon-db.js runs the build in dist/ (made by `npm ci`'s prepare script), but never one older
 * than the sources: a developer who edits src/ and runs `npx platon-db` or `npm start` gets the
 * edit (through tsx until the next build), and after `npm run build` (or a test run) the compiled
 * edit. Checked in a copy of the checkout, so this repository's dist/ is left alone.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../bin/build.js';

const ROOT = join(import.meta.dirname, '..', '..');
let copy: string;

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'platon-build-'));
  for (const part of ['bin', 'src', 'schema', 'package.json']) await cp(join(ROOT, part), join(copy, part), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  await build(copy);
});
afterAll(() => rm(copy, { recursive: true, force: true }));

/** `platon-db --help` of the copy, and whether it ran through tsx (the sources) or the build. */
async function help(): Promise<{ out: string; fromSources: boolean }> {
  const record = join(copy, 'loaded.txt');
  await rm(record, { force: true });
  const child = spawn(process.execPath, ['--import', join(ROOT, 'test', 'support', 'record-imports.mjs'), join(copy, 'bin', 'platon-db.js'), '--help'], {
    env: { PATH: process.env.PATH ?? '', PLATON_RECORD_IMPORTS: record },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  expect(code).toBe(0);
  return { out, fromSources: (await readFile(record, 'utf8')).includes('/node_modules/tsx/') };
}

describe('bin/platon-db.js and the build in dist/', () => {
  it('runs the build when it is current, and an edit to src/ from the sources until the next build', async () => {
    expect(await help()).toMatchObject({ fromSources: false });

    const main = join(copy, 'src', 'cli', 'main.ts');
    const edited = (await readFile(main, 'utf8')).replace("Order, change and give back PostgreSQL databases", 'EDITED: order PostgreSQL databases');
    await writeFile(main, edited);

    const stale = await help();
    expect(stale.out).toContain('EDITED: order PostgreSQL databases');
    expect(stale.fromSources).toBe(true);

    await build(copy);
    expect(await help()).toMatchObject({ out: expect.stringContaining('EDITED: order PostgreSQL databases'), fromSources: false });
  });
});
