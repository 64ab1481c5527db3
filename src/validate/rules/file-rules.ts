/** Rules about a file as a file: its first line and its name. */
import type { FileKind } from '../../load/repository-files.js';
import { error, warning, type Finding } from '../finding.js';

/** The comment that makes editors (yaml-language-server) complete and check the file as you type. */
export const schemaComment = (kind: FileKind): string => `# yaml-language-server: $schema=../schema/${kind}.schema.json`;

export function schemaCommentRule(file: string, kind: FileKind, text: string): Finding[] {
  const expected = schemaComment(kind);
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')).trimEnd();
  if (firstLine === expected) return [];
  const message = firstLine.startsWith('# yaml-language-server:')
    ? `the first line points editors at the wrong schema`
    : `the first line should be the schema comment, so editors check the file as you type`;
  return [warning(file, 'file.schema-comment', message, { path: [], position: { line: 1, column: 1 }, hint: `make the first line: ${expected}` })];
}

export function nameMatchesFileRule(draft: { readonly file: string; readonly stem: string; readonly name?: string }, kind: FileKind): Finding[] {
  if (draft.name === undefined || draft.name === draft.stem) return [];
  const folder = kind === 'database' ? 'databases' : 'instances';
  return [
    error(draft.file, 'name.mismatch', `\`name\` is ${draft.name}, but the file is ${draft.file}; they must be the same`, {
      path: ['name'],
      anchor: 'value',
      hint: `rename the file to ${folder}/${draft.name}.yaml, or set name: ${draft.stem}`,
    }),
  ];
}

/**
 * Two files may not declare the same name (possible with `x.yml` next to `x.yaml`, or a wrong
 * `name`). The file whose name matches is the original; the error goes on the other one.
 */
export function duplicateNameRule(drafts: readonly { readonly file: string; readonly stem: string; readonly name?: string }[], kind: FileKind): Finding[] {
  const firstFile = new Map<string, string>();
  const findings: Finding[] = [];
  const rank = (d: { readonly stem: string; readonly name?: string }) => (d.stem === d.name ? 0 : 1);
  for (const draft of [...drafts].sort((a, b) => rank(a) - rank(b) || (a.file < b.file ? -1 : 1))) {
    if (draft.name === undefined) continue;
    const first = firstFile.get(draft.name);
    if (first === undefined) firstFile.set(draft.name, draft.file);
    else findings.push(error(draft.file, 'name.duplicate', `${kind === 'database' ? 'a database' : 'an instance'} named ${draft.name} is already declared in ${first}`, { path: ['name'], anchor: 'value' }));
  }
  return findings;
}
