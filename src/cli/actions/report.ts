/** What `platon-db report` does once its arguments are parsed (loaded only when report runs). */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runReport } from '../../app/report.js';
import type { CapacityReport } from '../../model/capacity.js';
import { renderReportHtml } from '../../render/report-html.js';
import { renderReportJson } from '../../render/report-json.js';
import { renderReportMarkdown } from '../../render/report-markdown.js';
import { renderReportText } from '../../render/report-text.js';
import { EXIT } from '../../model/exit-codes.js';
import type { CommandIo } from '../../model/command-io.js';
import type { ReportFormat } from '../../render/formats.js';
import { reportInvalidFiles } from '../commands/invalid.js';

const RENDER: Record<ReportFormat, (report: CapacityReport) => string> = {
  text: renderReportText,
  markdown: renderReportMarkdown,
  json: renderReportJson,
  html: renderReportHtml,
};

export interface ReportOptions {
  readonly root: string;
  readonly instance?: string;
  readonly format: ReportFormat;
  readonly out?: string;
}

export async function reportAction(options: ReportOptions, io: CommandIo): Promise<number> {
  const outcome = await runReport({ root: resolve(io.cwd, options.root), env: io.env, instance: options.instance, log: (m) => io.stderr(`${m}\n`) });
  if (outcome.kind === 'invalid') return reportInvalidFiles(outcome.diagnostics, io, 'No report');
  const text = RENDER[options.format](outcome.report);
  if (options.out === undefined) io.stdout(text);
  else await writeFile(resolve(io.cwd, options.out), text);
  return EXIT.ok;
}
