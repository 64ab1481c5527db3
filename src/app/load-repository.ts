/**
 * Loads and validates a repository: the one entry point validate, plan and apply share.
 *
 * Exported API (the applier relies on it):
 *   loadRepository(root) -> { spec, diagnostics, files, locate }
 *     spec         RepositorySpec with the normalised DatabaseSpec/InstanceSpec of every file that
 *                  validated (defaults filled: instance resolved, connectionLimit, readOnly,
 *                  extensions sorted and unique, external [], CIDRs canonical).
 *     diagnostics  every problem, sorted by file and position. Callers refuse to go on when any
 *                  is an error (hasErrors from model/diagnostic.ts).
 *     files        every database and instance file read, valid or not.
 *     locate       locate(file, path?) -> SourceLocation: where a value of a loaded file is, so plan
 *                  errors can point at a line, e.g. locate('databases/a.yaml') is its `name:` key,
 *                  locate('databases/a.yaml', ['extensions', 1]) its second extension.
 *
 * A missing or non-folder root is a usage error (UserError, exit 2); everything about the files
 * is a diagnostic.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../model/user-error.js';
import { loadCatalogs } from '../load/catalogs.js';
import { parseFile, type ParsedFile } from '../load/parse-file.js';
import type { YamlPath } from '../load/parse-yaml.js';
import { readRepositoryFiles, type FileKind } from '../load/repository-files.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import type { RepositorySpec } from '../model/spec.js';
import { sortDiagnostics, validateRepository } from '../validate/validate-repository.js';

export interface LoadedRepository {
  readonly spec: RepositorySpec;
  readonly diagnostics: Diagnostic[];
  /** Every database and instance file that was read, valid or not (repository-relative). */
  readonly files: readonly { readonly path: string; readonly kind: FileKind }[];
  /**
   * Source position of `path` in `file` (repository-relative, e.g. `databases/a.yaml`). The
   * default path `['name']` is the file's `name:` key; a path that does not exist gives the
   * nearest part that does, and a file that did not parse gives line 1, column 1.
   */
  readonly locate: (file: string, path?: YamlPath) => SourceLocation;
}

export async function loadRepository(root: string): Promise<LoadedRepository> {
  const absolute = resolve(root);
  assertFolder(absolute);
  const read = readRepositoryFiles(absolute);
  const parsed: ParsedFile[] = [];
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  for (const source of read.files) {
    const result = parseFile(source);
    if (result.ok) parsed.push(result.file);
    else {
      diagnostics.push(...result.diagnostics);
      if (result.partial) parsed.push(result.partial);
    }
  }
  const validation = validateRepository(parsed, loadCatalogs());
  const byPath = new Map(parsed.map((f) => [f.path, f] as const));
  return {
    spec: { root: absolute, databases: validation.databases, instances: validation.instances },
    diagnostics: sortDiagnostics([...diagnostics, ...validation.diagnostics]),
    files: read.files.map(({ path, kind }) => ({ path, kind })),
    locate: (file, path = ['name']) => ({ file, ...(byPath.get(file)?.yaml.locate(path, 'key') ?? { line: 1, column: 1 }) }),
  };
}

function assertFolder(root: string): void {
  let isFolder = false;
  try {
    isFolder = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) {
    throw new UserError(`${root} is not a folder`, { hint: 'pass --root with the path of the platon-db repository (the folder with databases/ and instances/)', exitCode: 2 });
  }
}
