/** `platon-db local-server`: keep the local instance running so people can connect to it. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadForInstance } from '../../app/load-state.js';
import { startLocalInstance } from '../../app/local-instance.js';
import { untilStopSignal } from '../../adapters/postgres/embedded.js';
import { renderDiagnosticsText } from '../../render/diagnostics-text.js';
import { EXIT, type CommandIo } from '../io.js';
import type { Action } from '../main.js';
import { UserError } from '../user-error.js';

export function registerLocalServer(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('local-server')
    .description('run the local embedded PostgreSQL in the foreground until Ctrl-C (to connect with psql)')
    .option('--root <dir>', 'the repository root', '.')
    .option('--instance <name>', 'the local instance file to use', 'local')
    .action((options) =>
      run(async () => {
        const root = resolve(io.cwd, options.root);
        const loaded = await loadForInstance(root, options.instance);
        if (!loaded.ok) {
          io.stderr(renderDiagnosticsText(loaded.diagnostics, { color: io.isTty }));
          return EXIT.failure;
        }
        if (loaded.instance.kind !== 'local') throw new UserError(`instance ${loaded.instance.name} is not a local instance`, { exitCode: 2 });
        const local = await startLocalInstance(root, loaded.instance, (m) => io.stderr(`${m}\n`), { serve: true });
        io.stdout(
          `The local instance listens on ${local.endpoint.host}:${local.endpoint.port}; platon-db commands with --instance local use it meanwhile. Press Ctrl-C to stop it.\n`,
        );
        await untilStopSignal();
        await local.stop();
        io.stdout('Stopped.\n');
        return EXIT.ok;
      })(),
    );
}
