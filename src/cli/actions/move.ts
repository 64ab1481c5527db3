/** What `platon-db move` does once its arguments are parsed (loaded only when move runs). */
import { resolve } from 'node:path';
import { runMove, type MoveOutcome } from '../../app/move.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';
import { reportInvalidFiles } from '../commands/invalid.js';

export interface MoveOptions {
  readonly root: string;
  readonly to: string;
  readonly from?: string;
  readonly autoApprove?: boolean;
  readonly lockTimeout: number;
}

export async function moveAction(database: string, options: MoveOptions, io: CommandIo): Promise<number> {
  const outcome = await runMove({
    root: resolve(io.cwd, options.root),
    env: io.env,
    database,
    to: options.to,
    from: options.from,
    execute: Boolean(options.autoApprove),
    lockTimeoutMs: options.lockTimeout * 1000,
    log: (m) => io.stderr(`${m}\n`),
  });
  return report(outcome, io);
}

function report(outcome: MoveOutcome, io: CommandIo): number {
  switch (outcome.kind) {
    case 'invalid':
      return reportInvalidFiles(outcome.diagnostics, io, 'Nothing was moved');
    case 'steps':
      io.stdout(`Moving ${outcome.database} from ${outcome.from} to ${outcome.to} takes these steps:\n`);
      outcome.steps.forEach((step, i) => io.stdout(`  ${i + 1}. ${step}\n`));
      io.stdout('Nothing was done: run again with --auto-approve to carry them out.\n');
      return EXIT.ok;
    case 'moved': {
      const c = outcome.comparison;
      io.stdout(`Moved ${outcome.database} from ${outcome.from} to ${outcome.to}.\n`);
      io.stdout(`  checked: ${c.tables} tables, ${c.rows} rows, the same on both; size ${c.sourceBytes} bytes on ${outcome.from}, ${c.targetBytes} on ${outcome.to}\n`);
      if (c.sizeWarning) io.stdout(`  ! ${c.sizeWarning}\n`);
      for (const ref of outcome.credentials) io.stdout(`  credentials: ${ref.store}:${ref.path}\n`);
      io.stdout(`  ${outcome.database} on ${outcome.from} stays retired with its data; the team now connects to ${outcome.to}.\n`);
      return EXIT.ok;
    }
  }
}
