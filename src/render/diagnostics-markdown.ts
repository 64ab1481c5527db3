/** Diagnostics as a Markdown table for the GitHub step summary, where no annotation limit applies. */
import type { Diagnostic } from '../model/diagnostic.js';
import { summaryLine, type Checked } from './diagnostics-summary.js';

export function renderDiagnosticsMarkdown(diagnostics: readonly Diagnostic[], checked?: Checked): string {
  const lines = ['### platon-db validate', '', summaryLine(diagnostics, checked), ''];
  if (diagnostics.length > 0) {
    lines.push('| | Where | Code | Problem |', '|---|---|---|---|');
    for (const d of diagnostics) {
      const problem = d.hint ? `${cell(d.message)}<br>*hint:* ${cell(d.hint)}` : cell(d.message);
      lines.push(`| ${d.severity === 'error' ? '❌' : '⚠️'} | \`${cell(d.file)}:${d.line}:${d.column}\` | \`${d.code}\` | ${problem} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Table cells end at `|` and at line breaks; `<` would start HTML. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n|\r/g, ' ');
