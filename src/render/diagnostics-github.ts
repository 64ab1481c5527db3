/**
 * Diagnostics as GitHub workflow commands, so each problem is annotated on its line in the PR:
 * `::error file=F,line=L,col=C,title=CODE::message`. GitHub shows only 10 annotations per step
 * (50 per job), so beyond that the full list follows as plain text in the log; the caller also
 * writes it to the step summary when there is one.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import { summaryLine, type Checked } from './diagnostics-summary.js';
import { diagnosticLines } from './diagnostics-text.js';

/** Annotations GitHub displays per step; the rest are accepted but not shown. */
export const GITHUB_ANNOTATIONS_SHOWN = 10;

export function renderDiagnosticsGithub(diagnostics: readonly Diagnostic[], checked?: Checked): string {
  const lines = diagnostics.map((d) => {
    const properties = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `title=${escapeProperty(d.code)}`].join(',');
    const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
    return `::${d.severity} ${properties}::${escapeData(message)}`;
  });
  if (diagnostics.length > GITHUB_ANNOTATIONS_SHOWN) {
    lines.push(`GitHub shows only the first ${GITHUB_ANNOTATIONS_SHOWN} annotations; all ${diagnostics.length} problems:`);
    lines.push(...diagnosticLines(diagnostics, false));
  }
  lines.push(summaryLine(diagnostics, checked));
  return lines.join('\n') + '\n';
}

/** Workflow-command data: `%`, CR and LF would end or corrupt the command. */
export const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** Property values also end at `,` and `:`. */
export const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
