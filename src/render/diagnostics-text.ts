/**
 * Diagnostics for people: `file:line:column: severity code: message`, the form editors and
 * terminals turn into links, with the hint on the next line. Colour only when asked (a TTY).
 */
import type { Diagnostic } from '../model/diagnostic.js';
import { summaryLine, type Checked } from './diagnostics-summary.js';

export interface TextOptions {
  readonly color: boolean;
  readonly checked?: Checked;
}

const STYLE = { error: '\x1b[31m', warning: '\x1b[33m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;

export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], options: TextOptions): string {
  return [...diagnosticLines(diagnostics, options.color), summaryLine(diagnostics, options.checked)].join('\n') + '\n';
}

/** One line per diagnostic (two with a hint), without the summary. */
export function diagnosticLines(diagnostics: readonly Diagnostic[], color: boolean): string[] {
  const paint = (style: keyof typeof STYLE, text: string) => (color ? `${STYLE[style]}${text}${STYLE.reset}` : text);
  return diagnostics.flatMap((d) => {
    const head = `${d.file}:${d.line}:${d.column}: ${paint(d.severity, d.severity)} ${paint('dim', d.code)}: ${oneLine(d.message)}`;
    return d.hint ? [head, `    hint: ${oneLine(d.hint)}`] : [head];
  });
}

/** A message is one line; a stray newline from a user's value must not fake another diagnostic. */
const oneLine = (text: string): string => text.replace(/\r?\n|\r/g, ' ');
