import type { Command } from 'commander';
import type { CommandIo } from '../io.js';
import type { Action } from '../main.js';

// Placeholder until the validator lands (issue 2).
export function registerValidate(program: Command, _io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program.command('validate').description('check every file in databases/ and instances/').action(run(async () => 0));
}
