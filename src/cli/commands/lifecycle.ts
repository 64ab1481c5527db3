/** The commands for a database's life after its birth (issue 8): import, move, upgrade-check, catalog, report. */
import type { Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';
import { registerImport } from './import.js';
import { registerMove } from './move.js';
import { registerReport } from './report.js';
import { registerUpgrade } from './upgrade.js';

export function registerLifecycle(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  registerImport(program, io, run);
  registerMove(program, io, run);
  registerReport(program, io, run);
  registerUpgrade(program, io, run);
}
