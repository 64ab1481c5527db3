/**
 * `platon-db validate`: load and check every file, print the diagnostics in the chosen format,
 * and in GitHub Actions also write them to the step summary (no annotation limit there).
 */
import { appendFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CommandIo } from '../model/command-io.js';
import { EXIT } from '../model/exit-codes.js';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { Checked } from '../render/diagnostics-summary.js';
import { renderDiagnosticsGithub } from '../render/diagnostics-github.js';
import { renderDiagnosticsJson } from '../render/diagnostics-json.js';
import { renderDiagnosticsMarkdown } from '../render/diagnostics-markdown.js';
import { renderDiagnosticsText } from '../render/diagnostics-text.js';
import { loadRepository } from './load-repository.js';
import type { ValidateFormat } from '../render/formats.js';

export interface ValidateOptions {
  /** The repository, relative to io.cwd or absolute. */
  readonly root: string;
  readonly format: ValidateFormat;
}

export async function validate(options: ValidateOptions, io: CommandIo): Promise<number> {
  const root = resolve(io.cwd, options.root);
  const { diagnostics, files } = await loadRepository(root);
  const checked: Checked = {
    databases: files.filter((f) => f.kind === 'database').length,
    instances: files.filter((f) => f.kind === 'instance').length,
  };
  switch (options.format) {
    case 'json':
      io.stdout(renderDiagnosticsJson(diagnostics));
      break;
    case 'github':
      // Annotations name files relative to the workspace (the working folder in Actions), which
      // differs from the repository root when --root points below it.
      io.stdout(renderDiagnosticsGithub(relativeTo(io.cwd, root, diagnostics), checked));
      writeStepSummary(io, renderDiagnosticsMarkdown(diagnostics, checked));
      break;
    case 'text':
      io.stdout(renderDiagnosticsText(diagnostics, { color: io.isTty, checked }));
      break;
  }
  return hasErrors(diagnostics) ? EXIT.failure : EXIT.ok;
}

function relativeTo(cwd: string, root: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const prefix = relative(cwd, root).split(sep).join('/');
  const inside = prefix !== '' && !prefix.startsWith('..') && !isAbsolute(prefix);
  return inside ? diagnostics.map((d) => ({ ...d, file: `${prefix}/${d.file}` })) : [...diagnostics];
}

function writeStepSummary(io: CommandIo, markdown: string): void {
  const path = io.env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  try {
    appendFileSync(path, markdown);
  } catch (error) {
    // The annotations and the log already hold everything; a missing summary is not a failure.
    io.stderr(`warning: could not write the step summary (${(error as Error).message})\n`);
  }
}
