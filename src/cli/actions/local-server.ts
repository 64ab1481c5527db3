/** What `platon-db local-server` does once its arguments are parsed (loaded only when it runs). */
import { resolve } from 'node:path';
import { loadForInstance } from '../../app/load-state.js';
import { startLocalInstance } from '../../app/local-instance.js';
import { untilStopSignal } from '../../adapters/postgres/embedded.js';
import { renderDiagnosticsText } from '../../render/diagnostics-text.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';
import { UserError } from '../../model/user-error.js';

export interface LocalServerOptions {
  readonly root: string;
  readonly instance: string;
}

export async function localServerAction(options: LocalServerOptions, io: CommandIo): Promise<number> {
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
}
