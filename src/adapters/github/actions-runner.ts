/**
 * The GitHub Actions runner's side channels: the job summary file and warning annotations. Outside
 * Actions the same calls print plain lines, so a command behaves the same on a laptop.
 */
import { appendFile } from 'node:fs/promises';
import type { CommandIo } from '../../model/command-io.js';
import { escapeData } from '../../render/diagnostics-github.js';

/** A warning: an annotation on the run in Actions (it shows on the run page), a stderr line elsewhere. */
export function warn(io: CommandIo, message: string): void {
  io.stderr(io.env.GITHUB_ACTIONS === 'true' ? `::warning::${escapeData(message)}\n` : `warning: ${message}\n`);
}

/** Appends to $GITHUB_STEP_SUMMARY when there is one; a failure is only a warning. */
export async function appendJobSummary(io: CommandIo, markdown: string): Promise<void> {
  const path = io.env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  try {
    await appendFile(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  } catch (error) {
    warn(io, `could not write the job summary: ${(error as Error).message}`);
  }
}
