/**
 * `platon-db validate` as a whole process, on the repository's own files and on generated ones,
 * against a plain Node script reading, parsing (`yaml`) and schema-checking (ajv, compile included)
 * the same files: bench/floors/validate.mjs.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paired, REPO } from './measure.js';
import { ratioRow, type Row } from './verdict.js';

const FLOOR = join(import.meta.dirname, 'floors', 'validate.mjs');
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

async function validateRow(label: string, root: string, runs: number, maxRatio: number): Promise<Row> {
  const r = await paired(runs, { args: ['bin/platon-db.js', 'validate', '--root', root] }, { args: [FLOOR, root, REPO] });
  return ratioRow(label, r.measuredMs, r.floorMs, maxRatio);
}

export async function validateBench(files: number, runs: number, maxRatio: number): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'platon-bench-validate-'));
  try {
    mkdirSync(join(root, 'databases'));
    cpSync(join(REPO, 'instances'), join(root, 'instances'), { recursive: true });
    for (let i = 0; i < files; i++) writeFileSync(join(root, 'databases', `db_${String(i).padStart(5, '0')}.yaml`), databaseFile(i));
    return [
      await validateRow("validate, the repository's own files", REPO, runs, maxRatio),
      await validateRow(`validate, ${files} generated files`, root, runs, maxRatio),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
