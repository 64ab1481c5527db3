import { Option, type Command } from 'commander';
import type { CommandIo } from '../../model/command-io.js';
import type { Action } from '../action.js';
import { VALIDATE_FORMATS, type ValidateFormat } from '../../render/formats.js';

export function registerValidate(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  const command = program
    .command('validate')
    .description('check every file in databases/ and instances/: schema, names, extensions, networks, limits (exit 0 valid, 1 invalid, 2 usage error)')
    .option('--root <dir>', 'the repository folder', '.')
    .addOption(new Option('--format <format>', 'output: text for people, github for workflow annotations, json for scripts').choices(VALIDATE_FORMATS).default('text'));
  command.action(
    run(async () => {
      const { root, format } = command.opts<{ root: string; format: ValidateFormat }>();
      return (await import('../../app/validate.js')).validate({ root, format }, io);
    }),
  );
}
