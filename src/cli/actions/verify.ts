/** What `platon-db verify` does once its arguments are parsed (loaded only when verify runs). */
import { resolve } from 'node:path';
import { runVerify } from '../../app/verify.js';
import { renderVerifyText } from '../../render/verify-text.js';
import { renderVerifyJson } from '../../render/verify-json.js';
import { reportInvalidFiles } from '../commands/invalid.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';

export interface VerifyOptions {
  readonly root: string;
  readonly instance?: string;
  readonly format: 'text' | 'json';
  readonly database?: readonly string[];
}

export async function verifyAction(options: VerifyOptions, io: CommandIo): Promise<number> {
  const outcome = await runVerify({
    root: resolve(io.cwd, options.root),
    env: io.env,
    instance: options.instance,
    databases: options.database,
    log: (message) => io.stderr(`${message}\n`),
  });
  if (outcome.kind === 'invalid') {
    return reportInvalidFiles(outcome.diagnostics, io, 'Nothing was verified');
  }
  io.stdout(options.format === 'json' ? renderVerifyJson(outcome.report) : renderVerifyText(outcome.report, { color: io.isTty }));
  return outcome.report.findings.some((f) => f.severity === 'error') ? EXIT.failure : EXIT.ok;
}
