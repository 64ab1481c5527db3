import type { Command } from 'commander';
import type { CommandIo } from '../io.js';
import type { Action } from '../main.js';

// Placeholder until the applier lands (issue 3).
export function registerPlanAndApply(_program: Command, _io: CommandIo, _run: (a: Action) => () => Promise<void>): void {}
