/**
 * `npm run bench:validate`: validate 1,000 generated database files and compare with the floor of
 * reading and parsing the same files with `yaml` alone, measured in the same run (the machine is
 * noisy, so only the ratio means much). Target: at most 2x the floor and under 1 s.
 * Usage: npm run bench:validate [-- FILES]; `npm run bench` runs it with the others.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { loadRepository } from '../src/app/load-repository.js';
import { isMain, printTable, type Row } from './measure.js';

const RUNS = 9;
const MAX_RATIO = 2;
const MAX_MS = 1000;
const REPO = fileURLToPath(new URL('../', import.meta.url));
const EXTENSIONS = ['pg_trgm', 'uuid-ossp', 'citext', 'pgcrypto', 'hstore', 'btree_gist'];

/** A realistic file: every field, a few extensions, some external networks (shared across files, as in life). */
function databaseFile(i: number): string {
  const name = `db_${String(i).padStart(5, '0')}`;
  const lines = [
    '# yaml-language-server: $schema=../schema/database.schema.json',
    `name: ${name}`,
    `team: team-${i % 37}            # GitHub team slug`,
    `project: Project number ${i}`,
    `contact: team-${i % 37}@example.org`,
    'users:',
    `  readOnly: ${i % 2 === 0}`,
    `extensions: [${EXTENSIONS.slice(0, i % 4).join(', ')}]`,
  ];
  if (i % 3 === 0) {
    // 30 distinct networks in all, so the instance's allowlist quota (60) holds.
    lines.push('access:', '  external:', `    - cidr: 81.91.${i % 30}.0/24`, `      description: Partner ${i % 30} application servers`);
  }
  if (i % 5 === 0) lines.push('backup:', '  retentionDays: 30');
  if (i % 7 === 0) lines.push(`connectionLimit: ${10 + (i % 50)}`);
  return `${lines.join('\n')}\n`;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** The benchmark as rows of the shared table (bench/all.ts prints them with the others). */
export async function validateBench(FILES = 1000): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'platon-bench-validate-'));
  try {
    mkdirSync(join(root, 'databases'));
    cpSync(join(REPO, 'instances'), join(root, 'instances'), { recursive: true });
    for (let i = 0; i < FILES; i++) writeFileSync(join(root, 'databases', `db_${String(i).padStart(5, '0')}.yaml`), databaseFile(i));

    /** The floor: what any YAML-reading tool must do. Read every file and parse it with `yaml`. */
    const floor = () => {
      for (const folder of ['databases', 'instances']) {
        for (const name of readdirSync(join(root, folder))) parse(readFileSync(join(root, folder, name), 'utf8'));
      }
    };
    const validate = async () => {
      const { diagnostics, spec } = await loadRepository(root);
      if (diagnostics.length > 0 || spec.databases.length !== FILES) throw new Error(`generated files should be valid: ${JSON.stringify(diagnostics.slice(0, 3))}`);
    };

    const cold = await time(validate); // compiles the JSON Schemas and reads the catalog once
    await time(floor);
    const floorMs: number[] = [];
    const validateMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      floorMs.push(await time(floor));
      validateMs.push(await time(validate));
    }
    const f = median(floorMs);
    const v = median(validateMs);
    const ratio = v / f;
    return [
      { name: `validate ${FILES} files`, measured: `${v.toFixed(0)} ms`, floor: `${f.toFixed(0)} ms`, ratio, target: `<= ${MAX_RATIO}x, < ${MAX_MS} ms`, ok: ratio <= MAX_RATIO && v < MAX_MS },
      { name: `validate ${FILES} files, first run`, measured: `${cold.toFixed(0)} ms`, floor: '-', ratio: null, target: `< ${MAX_MS} ms`, ok: cold < MAX_MS },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const rows = await validateBench(Number(process.argv[2] ?? 1000));
  printTable(rows);
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}
