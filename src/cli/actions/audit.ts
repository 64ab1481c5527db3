/** What `platon-db audit` does once its arguments are parsed (loaded only when audit runs). */
import { resolve } from 'node:path';
import { runAudit } from '../../app/audit.js';
import { warn } from '../../adapters/github/actions-runner.js';
import { renderAuditJson } from '../../render/audit-json.js';
import { renderAuditMarkdown } from '../../render/audit-markdown.js';
import { renderAuditText } from '../../render/audit-text.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';
import type { AuditFormat } from '../../render/formats.js';

const RENDER = { text: renderAuditText, markdown: renderAuditMarkdown, json: renderAuditJson } as const satisfies Record<AuditFormat, unknown>;

export interface AuditOptions {
  readonly root: string;
  readonly instance?: string;
  readonly format: AuditFormat;
  readonly main?: string;
  readonly live: boolean;
}

export async function auditAction(database: string | undefined, options: AuditOptions, io: CommandIo): Promise<number> {
  const report = await runAudit({
    root: resolve(io.cwd, options.root),
    env: io.env,
    log: (message) => io.stderr(`${message}\n`),
    warn: (message) => warn(io, message),
    database,
    instance: options.instance,
    live: options.live !== false,
    main: options.main,
  });
  io.stdout(RENDER[options.format](report));
  return EXIT.ok;
}
