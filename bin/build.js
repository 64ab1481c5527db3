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
import { isBuiltin } from 'node:module';
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
  // This runs at the start of every command, once per input (over 200): a string for a path rather
  // than path.join, and undefined rather than an exception for a missing file, halve its cost.
  const prefix = `${root}/`;
  try {
    for (const file of inputs.files) {
      const stat = statSync(prefix + file, { throwIfNoEntry: false });
      // A missing input was deleted or renamed: its importers changed too.
      if (stat === undefined || stat.mtimeMs > inputs.newest) return undefined;
    }
  } catch {
    return undefined; // e.g. a folder on an input's path is now a file
  }
  return pathToFileURL(entry).href;
}

/**
 * Bundles src/cli/main.ts. Packages stay imports (node_modules is not bundled, but for commander:
 * BUNDLED_PACKAGES), and each command's implementation stays a chunk of its own loaded by its
 * dynamic import(), so --help and validate still load no SDK. Several test runs may build at once
 * on one checkout while others' child processes read dist/: every file is written under a
 * temporary name and renamed into place (atomic), chunks before the main module that imports them;
 * chunk names carry a content hash, so a process that loaded the previous main module still finds
 * its chunks.
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
    plugins: [bundledPackagesGetBuiltins(BUNDLED_PACKAGES), packagesExternalBut(BUNDLED_PACKAGES)],
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
  // Files only: a stand-in made here (namespace:path, e.g. builtin:events) has no file to watch.
  const sources = Object.keys(result.metafile.inputs).filter((input) => !/^[a-z-]+:/.test(input));
  const newest = Math.max(...sources.map((file) => statSync(join(root, file)).mtimeMs));
  const temporary = `${inputs}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ newest, files: sources }));
  renameSync(temporary, inputs);
  pruneOldChunks(out, new Set([...files.map((f) => f.path), inputs]));
  return relative(root, entry);
}

/**
 * Packages bundled into dist/ rather than imported from node_modules at run time. Every command,
 * --help included, parses its arguments with commander: loaded from node_modules it is CommonJS
 * behind an ES module wrapper (Node's CommonJS loader and export lexer, seven files resolved one by
 * one), about a sixth of `platon-db --help`'s whole run (issue 14); bundled, it is part of main.js.
 */
const BUNDLED_PACKAGES = new Set(['commander']);

/** esbuild's `packages: 'external'`, except for the named packages, which are bundled. */
function packagesExternalBut(bundled) {
  return {
    name: 'packages-external-but',
    setup(build) {
      // A bare specifier (not ./, ../ or an absolute path): a package or a Node built-in.
      build.onResolve({ filter: /^[^./]/ }, ({ path }) => {
        const name = path.startsWith('@') ? path.split('/', 2).join('/') : path.split('/', 1)[0];
        return bundled.has(name) ? undefined : { path, external: true };
      });
    },
  };
}

/**
 * A bundled CommonJS package (commander) require()s Node's built-ins, and an ES module has no
 * `require`: each is a stand-in that takes the module from process.getBuiltinModule (Node 20.16,
 * 22.3). Commander requires node:child_process only for stand-alone executable subcommands
 * (`git-style`), which platon-db has none of; Node's child_process (with dgram and the process
 * bindings) is about a millisecond of every start, so its stand-in loads it at the first spawn.
 */
function bundledPackagesGetBuiltins(bundled) {
  const inBundled = new RegExp(`[\\\\/]node_modules[\\\\/](${[...bundled].join('|')})[\\\\/]`);
  return {
    name: 'bundled-packages-get-builtins',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path, importer, kind }) =>
        kind === 'require-call' && inBundled.test(importer) && isBuiltin(path) ? { path: path.replace(/^node:/, ''), namespace: 'builtin' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => ({
        contents:
          path === 'child_process'
            ? "exports.spawn = (...args) => process.getBuiltinModule('node:child_process').spawn(...args);"
            : `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${path}`)});`,
        loader: 'js',
      }));
    },
  };
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
