/** Shared by the validate-* tests: temporary repositories and in-memory validation. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { loadCatalogs } from '../../src/load/catalogs.js';
import { parseFile, type ParsedFile } from '../../src/load/parse-file.js';
import type { FileKind } from '../../src/load/repository-files.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { validateRepository, type Validation } from '../../src/validate/validate-repository.js';
import { readFileSync, readdirSync } from 'node:fs';

/** This checkout: its instances/ are the real ones rules are checked against. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const DATABASE_HEADER = '# yaml-language-server: $schema=../schema/database.schema.json\n';

/** A valid database file body for `name`, to which a test adds or changes lines. */
export const validDatabase = (name: string, extra = ''): string =>
  `${DATABASE_HEADER}name: ${name}\nteam: team-a\nproject: Project A\ncontact: team-a@example.org\n${extra}`;

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A repository in a temporary folder: the real instances/ (unless `instances` is false) plus
 * `files` (repository-relative path -> content). Removed after the test file.
 */
export function tempRepo(files: Readonly<Record<string, string | Uint8Array>> = {}, options: { instances?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'platon-validate-'));
  made.push(root);
  mkdirSync(join(root, 'databases'));
  if (options.instances !== false) cpSync(join(REPO, 'instances'), join(root, 'instances'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The real instance files, parsed, for in-memory validation. */
export function realInstances(): ParsedFile[] {
  return readdirSync(join(REPO, 'instances'))
    .filter((n) => n.endsWith('.yaml'))
    .map((n) => parsed(`instances/${n}`, 'instance', readFileSync(join(REPO, 'instances', n), 'utf8')));
}

export function parsed(path: string, kind: FileKind, text: string): ParsedFile {
  const result = parseFile({ path, kind, bytes: new TextEncoder().encode(text) });
  if (!result.ok) throw new Error(`${path} does not parse: ${JSON.stringify(result.diagnostics)}`);
  return result.file;
}

/** Validates database files (path -> text) together with the real instances, without touching disk. */
export function validateInMemory(databases: Readonly<Record<string, string>>, instances: ParsedFile[] = realInstances()): Validation {
  const files = [...instances, ...Object.entries(databases).map(([path, text]) => parsed(path, 'database', text))];
  return validateRepository(files, loadCatalogs());
}

/** `code@line:column` for compact table assertions. */
export const brief = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);
export const codes = (diagnostics: readonly Diagnostic[]): string[] => [...new Set(diagnostics.map((d) => d.code))].sort();
