/** `platon-db report`: the capacity report in text, markdown, JSON or one static HTML page. */
import { Option, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runReport } from '../../app/report.js';
import type { CapacityReport } from '../../model/capacity.js';
import { renderReportHtml } from '../../render/report-html.js';
import { renderReportJson } from '../../render/report-json.js';
import { renderReportMarkdown } from '../../render/report-markdown.js';
import { renderReportText } from '../../render/report-text.js';
import { EXIT, type CommandIo } from '../io.js';
import type { Action } from '../main.js';
import { reportInvalidFiles } from './invalid.js';

const RENDER: Record<string, (report: CapacityReport) => string> = {
  text: renderReportText,
  markdown: renderReportMarkdown,
  json: renderReportJson,
  html: renderReportHtml,
};

export function registerReport(program: Command, io: CommandIo, run: (a: Action) => () => Promise<void>): void {
  program
    .command('report')
    .description('capacity report: per database its team, size, connections and limit, extensions, networks; instance totals against limits (reads only)')
    .addOption(new Option('--format <format>', 'output format').choices(Object.keys(RENDER)).default('text'))
    .addOption(new Option('--instance <name>', 'the instance (default: the instance marked default)'))
    .addOption(new Option('--root <dir>', 'the repository root').default('.'))
    .option('--out <file>', 'write the report to this file instead of standard output (e.g. capacity.html to publish)')
    .addHelpText('after', '\nExit codes: 0 reported (findings do not change it), 1 error, 2 usage error.')
    .action((options) =>
      run(async () => {
        const outcome = await runReport({ root: resolve(io.cwd, options.root), env: io.env, instance: options.instance, log: (m) => io.stderr(`${m}\n`) });
        if (outcome.kind === 'invalid') return reportInvalidFiles(outcome.diagnostics, io, 'No report');
        const text = RENDER[options.format as string]!(outcome.report);
        if (options.out === undefined) io.stdout(text);
        else await writeFile(resolve(io.cwd, options.out), text);
        return EXIT.ok;
      })(),
    );
}
