/**
 * docs/reference.md lists exactly the codes the tool can print: a code added to the source without
 * a row fails here, and so does a row for a code the source no longer has. Scripts and CI read
 * these codes (`--format json`, GitHub annotations), so the reference must not lie about them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/model/exit-codes.js';
import { REPO } from './validate-helpers.js';

const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');
const sources = (): Map<string, string> =>
  new Map(
    readdirSync(join(REPO, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => [f, read(join('src', f))]),
  );

/** Dotted literals in src/ that are not codes: SQL aliases, a server setting, a field path; file names and format versions below. */
const NOT_CODES = new Set(['n.nspacl', 'd.defaclacl', 'rds.extensions', 'access.external']);
const notCode = (literal: string): boolean =>
  NOT_CODES.has(literal) || /\.(js|json|lock|log|pid|list)$/.test(literal) || /^platon-db\..*\.v\d+$/.test(literal);

/** Every code the source can emit: each dotted string literal, the schema codes built from ajv's keyword, and audit's codes. */
function codesInSource(files: Map<string, string>): Set<string> {
  const codes = new Set<string>();
  for (const text of files.values()) {
    for (const m of text.matchAll(/'([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)'/g)) if (!notCode(m[1]!)) codes.add(m[1]!);
  }
  // schema-findings.ts builds `schema.${e.keyword}` for these two ajv keywords.
  const schemaFindings = files.get(join('validate', 'schema-findings.ts'))!;
  expect(schemaFindings).toContain("case 'pattern':\n    case 'format': {");
  expect(schemaFindings).toContain('made(`schema.${e.keyword}`');
  codes.add('schema.pattern').add('schema.format');
  // Audit's codes have no dot: the LiveFlag union and the two history codes of AuditFinding.
  const audit = files.get(join('model', 'audit.ts'))!;
  const liveFlag = audit.slice(audit.indexOf('export type LiveFlag ='), audit.indexOf(';', audit.indexOf('export type LiveFlag =')));
  const findingCode = /readonly code: LiveFlag((?: \| '[a-z.-]+')+);/.exec(audit)![1]!;
  for (const m of `${liveFlag}${findingCode}`.matchAll(/'([a-z.-]+)'/g)) codes.add(m[1]!);
  return codes;
}

/** The codes in the first column of every table in a section of the reference. */
function codesInDoc(doc: string): Set<string> {
  const codes = new Set<string>();
  for (const line of doc.split('\n')) {
    const first = /^\| ([^|]+) \|/.exec(line)?.[1];
    if (!first || !first.startsWith('`')) continue;
    for (const m of first.matchAll(/`([^`]+)`/g)) codes.add(m[1]!);
  }
  return codes;
}

const doc = read('docs/reference.md');
const exitSection = doc.slice(doc.indexOf('## Exit codes'), doc.indexOf('\n## ', doc.indexOf('## Exit codes') + 1));
const diagnostics = doc.slice(exitSection.length + doc.indexOf('## Exit codes'));

describe('docs/reference.md', () => {
  const inSource = codesInSource(sources());
  const inDoc = codesInDoc(diagnostics);

  it('finds the codes the brief names in the source (so the extraction itself works)', () => {
    for (const code of ['schema.unknown-key', 'cidr.host-bits', 'database.marker-state', 'access.public', 'apply.database-failed', 'not-approved']) {
      expect(inSource).toContain(code);
    }
  });

  it('documents every code the tool can emit', () => {
    expect([...inSource].filter((c) => !inDoc.has(c)).sort()).toEqual([]);
  });

  it('documents no code the tool no longer emits', () => {
    expect([...inDoc].filter((c) => !inSource.has(c)).sort()).toEqual([]);
  });

  it('lists exactly the exit codes the CLI uses', () => {
    const listed = [...codesInDoc(exitSection)].map(Number).sort();
    expect(listed).toEqual(Object.values(EXIT).sort());
  });
});
