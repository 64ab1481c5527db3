/**
 * The apply result as the merged PR's comment and the job summary: what was applied and where the
 * new credentials are, or what failed and what was left. Long lists shrink until the comment fits.
 */
import type { ApplyReport, ReportedChange } from '../model/apply-report.js';
import { codeSpan, escapeMarkdown, inlineMarkdown, tableCell } from './plan-markdown-syntax.js';
import { ACTION_SYMBOL } from './plan-sections.js';
import { plural } from './plan-summary.js';

export interface ApplyReportContext {
  /** The workflow run, for the log and the full lists. */
  readonly runUrl?: string;
}

export function renderApplyReportMarkdown(report: ApplyReport, context: ApplyReportContext, limit: number): string {
  const total = report.applied.length + report.notApplied.length + (report.failed ? 1 : 0);
  // Halve the listed changes until the body fits; the run log always has them all.
  for (let shown = total; ; shown = Math.floor(shown / 2)) {
    const body = render(report, context, shown);
    if (body.length <= limit || shown === 0) return body.slice(0, limit);
  }
}

function render(report: ApplyReport, context: ApplyReportContext, maxItems: number): string {
  const where = report.instance ? ` on ${codeSpan(report.instance)}` : '';
  const blocks = [`## platon-db apply${where}: ${headline(report)}`, provenance(report, context)];
  switch (report.outcome) {
    case 'applied':
      if (report.applied.length === 0) blocks.push('The live instance already matched `databases/`: nothing to do.');
      break;
    case 'failed':
      blocks.push(
        alert('CAUTION', [
          `**Apply failed at:** ${inlineMarkdown(report.failed?.change.summary ?? '(not recorded)')}`,
          escapeMarkdown(report.failed?.message ?? 'no reason recorded'),
          `${plural(report.applied.length, 'change')} applied before it; it and the ${plural(report.notApplied.length, 'change')} after it were not. ` +
            'Fix the cause and re-run the apply workflow: it plans afresh and continues where this run stopped.',
        ]),
      );
      break;
    case 'partial':
    case 'refused':
      blocks.push(
        alert('CAUTION', [
          report.outcome === 'partial'
            ? `**Not applied to the databases with errors** (${plural(report.errors.length, 'error')}); every other database was applied.`
            : `**Nothing was applied:** the plan has ${plural(report.errors.length, 'error')}.`,
          ...report.errors.map((e) => `- ${codeSpan(e.file)}: ${inlineMarkdown(e.message)}${e.hint ? ` (hint: ${inlineMarkdown(e.hint)})` : ''}`),
        ]),
      );
      break;
    case 'declined':
      blocks.push(alert('WARNING', ['**Nothing was applied:** the apply was not approved (CI must pass `--auto-approve`).']));
      break;
    case 'invalid':
      blocks.push(
        alert('CAUTION', [
          `**Nothing was applied:** ${plural(report.diagnostics.filter((d) => d.severity === 'error').length, 'error')} in the files.`,
          ...report.diagnostics.slice(0, 20).map((d) => `- ${codeSpan(`${d.file}:${d.line}`)}: ${inlineMarkdown(d.message)}`),
        ]),
      );
      break;
    case 'error':
      blocks.push(alert('CAUTION', [`**The apply stopped:** ${escapeMarkdown(report.message ?? 'no reason given')}`, 'See the run log; re-run the apply workflow once the cause is fixed.']));
      break;
  }
  if (report.credentials.length > 0) blocks.push(credentials(report));
  const budget = { left: maxItems };
  if (report.applied.length > 0) blocks.push(changeList('Applied', report.applied, budget, context));
  if (report.notApplied.length > 0) blocks.push(changeList('Not applied', report.notApplied, budget, context));
  return `${blocks.join('\n\n')}\n`;
}

function headline(report: ApplyReport): string {
  switch (report.outcome) {
    case 'applied':
      return report.applied.length === 0 ? 'no changes' : `${plural(report.applied.length, 'change')} applied`;
    case 'failed':
      return `failed after ${plural(report.applied.length, 'change')}`;
    case 'partial':
      return `${plural(report.applied.length, 'change')} applied, databases with errors left out`;
    case 'refused':
      return 'refused, plan has errors';
    case 'declined':
      return 'not approved';
    case 'invalid':
      return 'invalid files';
    case 'error':
      return 'stopped';
  }
}

function provenance(report: ApplyReport, context: ApplyReportContext): string {
  const parts = [
    ...(report.commit ? [`Commit ${escapeMarkdown(report.commit.slice(0, 12))}`] : []),
    ...(context.runUrl ? [`[workflow run](${context.runUrl})`] : []),
  ];
  return parts.length > 0 ? parts.join(' · ') : 'Run outside GitHub Actions.';
}

function credentials(report: ApplyReport): string {
  const rows = report.credentials.map((c) => `| ${tableCell(codeSpan(c.database))} | ${tableCell(codeSpan(c.role))} | ${tableCell(codeSpan(c.location))} |`);
  return [
    '### Credentials',
    '',
    'New passwords were written to the secret store; each team reads its own there. They are never printed.',
    '',
    '| Database | User | Secret |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function changeList(title: string, changes: readonly ReportedChange[], budget: { left: number }, context: ApplyReportContext): string {
  const shown = changes.slice(0, Math.max(budget.left, 0));
  budget.left -= shown.length;
  const items = shown.map((c) => `- \`${ACTION_SYMBOL[c.action]}\` ${codeSpan(c.database)}: ${inlineMarkdown(c.summary)}`);
  if (shown.length < changes.length) {
    const rest = changes.length - shown.length;
    items.push(`- ... and ${rest} more, listed in the ${context.runUrl ? `[run log](${context.runUrl})` : 'run log'}`);
  }
  // Folded: on a first apply the list runs to hundreds of lines.
  return [`<details><summary>${title}: ${plural(changes.length, 'change')}</summary>`, '', ...items, '', '</details>'].join('\n');
}

const alert = (kind: 'CAUTION' | 'WARNING', lines: readonly string[]): string =>
  [`> [!${kind}]`, ...lines.flatMap((line, i) => (i === 0 ? [`> ${line}`] : ['>', `> ${line}`]))].join('\n');
