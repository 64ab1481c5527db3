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
}

export type ParseFileResult = { readonly ok: true; readonly file: ParsedFile } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function parseFile(source: SourceFile): ParseFileResult {
  const decoded = decodeUtf8(source.bytes);
  if (!decoded.ok) {
    const { code, message, hint, line, column } = decoded.problem;
    return { ok: false, diagnostics: [{ file: source.path, line, column, severity: 'error', code, message, hint }] };
  }
  const parsed = parseYaml(decoded.text);
  if (!parsed.ok) {
    return { ok: false, diagnostics: parsed.problems.map((p) => ({ file: source.path, severity: 'error' as const, ...p })) };
  }
  return { ok: true, file: { path: source.path, kind: source.kind, text: decoded.text, yaml: parsed.yaml } };
}
