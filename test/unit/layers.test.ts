/**
 * The house rules a contributor relies on to find their way: the command line sits on top (it
 * parses arguments and sets exit codes), nothing below it imports from it, and no module imports
 * itself back through others (a cycle makes load order, and so what is defined when, depend on
 * which file happens to be imported first).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Relative imports of a file (static, `import type` included, and dynamic), as source paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs.map((spec) => resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
}

const graph = new Map(sources(SRC).map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(SRC, file);

describe('layers of src/', () => {
  it('nothing outside src/cli imports from src/cli', () => {
    const inverted = [...graph].flatMap(([file, deps]) =>
      name(file).startsWith('cli/') ? [] : deps.filter((d) => name(d).startsWith('cli/')).map((d) => `${name(file)} -> ${name(d)}`),
    );
    expect(inverted).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map(name).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
