/** A file's bytes to parsed YAML, or the diagnostics that say why not. Pure. */
import type { Diagnostic } from '../model/diagnostic.js';
import { decodeUtf8 } from './decode.js';
import { parseYaml, type ParsedYaml } from './parse-yaml.js';
import type { FileKind, SourceFile } from './repository-files.js';

export interface ParsedFile {
  readonly path: string;
  readonly kind: FileKind;
  readonly text: string;
  readonly yaml: ParsedYaml;
  /**
   * Only part of the file could be read (a syntax error elsewhere): its findings are reported, but
   * it never becomes a spec, and nothing may be concluded from what is absent.
   */
  readonly partial?: { readonly unreadKeys: readonly string[] };
}

export type ParseFileResult =
  | { readonly ok: true; readonly file: ParsedFile }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly partial?: ParsedFile };

export function parseFile(source: SourceFile): ParseFileResult {
  const decoded = decodeUtf8(source.bytes);
  if (!decoded.ok) {
    const { code, message, hint, line, column } = decoded.problem;
    return { ok: false, diagnostics: [{ file: source.path, line, column, severity: 'error', code, message, hint }] };
  }
  const parsed = parseYaml(decoded.text);
  if (!parsed.ok) {
    const diagnostics = parsed.problems.map((p) => ({ file: source.path, severity: 'error' as const, ...p }));
    // Instance files are Platon's and others depend on them (the default, names): a half-read one
    // would make every database on it look wrong. Only a database file is checked in part.
    if (parsed.partial === undefined || source.kind !== 'database') return { ok: false, diagnostics };
    return { ok: false, diagnostics, partial: { path: source.path, kind: source.kind, text: decoded.text, yaml: parsed.partial, partial: { unreadKeys: parsed.partial.unreadKeys } } };
  }
  return { ok: true, file: { path: source.path, kind: source.kind, text: decoded.text, yaml: parsed.yaml } };
}
