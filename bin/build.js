#!/usr/bin/env node
// The compiled platon-db: src/ bundled by esbuild into dist/cli/ (git-ignored), so a run
// transpiles no TypeScript (tsx cost each run about half a second of CPU: issue 14).
//
//   node bin/build.js   builds it; `npm ci` runs this as the package's `prepare` script, and the
//                       test run's global setup runs it when src/ changed since the last build.
//
// currentBuild() is what bin/platon-db.js runs: the bundle, or undefined when it is missing or
// older than any file it was built from (the sources of a developer who edited src/ and has not
// run the tests or `npm run build` since), so a stale bundle never runs; bin/ falls back to the
// sources through tsx then.
import { readFileSync, renameSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where a checkout's build goes. dist/cli/ is two levels below the root, as src/cli/ is: code that
 * finds package.json and schema/ relative to its own file (src/cli/main.ts, src/load/tool-root.ts)
 * finds them from either.
 */
function paths(root) {
  const out = join(root, 'dist', 'cli');
  // inputs.json: what the bundle was built from (esbuild's list of inputs) and the newest of their times.
  return { out, entry: join(out, 'main.js'), inputs: join(out, 'inputs.json') };
}

/** The bundle's main module as a file URL, or undefined when it is missing or stale. */
export function currentBuild(root = ROOT) {
  const { entry, inputs: inputsFile } = paths(root);
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
    statSync(entry);
  } catch {
    return undefined;
  }
  for (const file of inputs.files) {
    try {
      if (statSync(join(root, file)).mtimeMs > inputs.newest) return undefined;
    } catch {
      return undefined; // an input was deleted or renamed: its importers changed too
    }
  }
  return pathToFileURL(entry).href;
}

/**
 * Bundles src/cli/main.ts. Packages stay imports (node_modules is not bundled), and each command's
 * implementation stays a chunk of its own loaded by its dynamic import(), so --help and validate
 * still load no SDK. Several test runs may build at once on one checkout while others' child
 * processes read dist/: every file is written under a temporary name and renamed into place
 * (atomic), chunks before the main module that imports them; chunk names carry a content hash, so a
 * process that loaded the previous main module still finds its chunks.
 */
export async function build(root = ROOT) {
  const { out, entry, inputs } = paths(root);
  const { build: esbuild } = await import('esbuild');
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(out, { recursive: true });
  const files = result.outputFiles.sort((a, b) => (a.path === entry) - (b.path === entry) || a.path.localeCompare(b.path));
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  const sources = Object.keys(result.metafile.inputs);
  const newest = Math.max(...sources.map((file) => statSync(join(root, file)).mtimeMs));
  const temporary = `${inputs}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ newest, files: sources }));
  renameSync(temporary, inputs);
  pruneOldChunks(out, new Set([...files.map((f) => f.path), inputs]));
  return relative(root, entry);
}

/** Chunks of earlier builds, once no run that started before this build can still need them. */
function pruneOldChunks(out, current) {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(out)) {
    const path = join(out, name);
    if (current.has(path)) continue;
    try {
      if (statSync(path).mtimeMs < hourAgo) rmSync(path, { force: true });
    } catch {
      // Pruned by a build running beside this one.
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`built ${await build()}`);
}
