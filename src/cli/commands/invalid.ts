/** Invalid files stop a command before it touches a server; the same two lines everywhere. */
import type { Diagnostic } from '../../model/diagnostic.js';
import { renderDiagnosticsText } from '../../render/diagnostics-text.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';

/** `nothing` completes the sentence, e.g. `Nothing was imported`. */
export function reportInvalidFiles(diagnostics: readonly Diagnostic[], io: CommandIo, nothing: string): number {
  io.stderr(renderDiagnosticsText(diagnostics, { color: io.isTty }));
  io.stderr(`${nothing}: fix the files above first (platon-db validate shows the same).\n`);
  return EXIT.failure;
}
