/** What `platon-db upgrade-check` and `catalog` do once their arguments are parsed (loaded only when they run). */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runCatalogFromLive } from '../../app/catalog.js';
import { runUpgradeCheck } from '../../app/upgrade-check.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { renderUpgradeCheckJson, renderUpgradeCheckText } from '../../render/upgrade-check.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';
import { reportInvalidFiles } from '../commands/invalid.js';

const reportInvalid = (diagnostics: readonly Diagnostic[], io: CommandIo): number => reportInvalidFiles(diagnostics, io, 'Nothing was read');

export interface UpgradeCheckOptions {
  readonly root: string;
  readonly instance?: string;
  readonly to: number;
  readonly format: 'text' | 'json';
  readonly offline?: boolean;
}

export async function upgradeCheckAction(options: UpgradeCheckOptions, io: CommandIo): Promise<number> {
  const outcome = await runUpgradeCheck({
    root: resolve(io.cwd, options.root),
    env: io.env,
    instance: options.instance,
    to: options.to,
    offline: Boolean(options.offline),
    log: (m) => io.stderr(`${m}\n`),
  });
  if (outcome.kind === 'invalid') return reportInvalid(outcome.diagnostics, io);
  io.stdout(options.format === 'json' ? renderUpgradeCheckJson(outcome.check) : renderUpgradeCheckText(outcome.check));
  return outcome.check.ready ? EXIT.ok : EXIT.failure;
}

export interface CatalogOptions {
  readonly root: string;
  readonly instance?: string;
  readonly out?: string;
}

export async function catalogAction(options: CatalogOptions, io: CommandIo): Promise<number> {
  const outcome = await runCatalogFromLive({ root: resolve(io.cwd, options.root), env: io.env, instance: options.instance, log: (m) => io.stderr(`${m}\n`) });
  if (outcome.kind === 'invalid') return reportInvalid(outcome.diagnostics, io);
  const text = `${JSON.stringify(outcome.catalog, null, 2)}\n`;
  if (options.out === undefined) io.stdout(text);
  else {
    await writeFile(resolve(io.cwd, options.out), text);
    io.stderr(`Wrote ${outcome.extensions} extensions of PostgreSQL ${outcome.major} to ${options.out}.\n`);
  }
  return EXIT.ok;
}
