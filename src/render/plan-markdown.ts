/**
 * The plan as the sticky PR comment: what blocks the apply first, then notes and a table per
 * database, then each database's SQL folded in `<details>`. shortenMarkdown (plan-markdown-shorten.ts)
 * relies on DETAILS_MARKER to cut the folded part first when the comment is too long.
 */
import { INSTANCE_WIDE, type Plan, type PlanError } from '../model/change.js';
import { displayScript } from './display-sql.js';
import { codeBlock, codeSpan, escapeHtml, escapeMarkdown, inlineMarkdown, tableCell } from './plan-markdown-syntax.js';
import { ACTION_SYMBOL, describeNote, isInstanceWide, planSections, type PlanSection } from './plan-sections.js';
import { describeActions, isEmptyPlan, plural, summarisePlan, type ActionCounts } from './plan-summary.js';

/** Precedes every folded database block; invisible on GitHub. */
export const DETAILS_MARKER = '<!-- platon-db:details -->';

export function renderPlanMarkdown(plan: Plan): string {
  const summary = summarisePlan(plan);
  const sections = planSections(plan);
  const headline = isEmptyPlan(summary) ? 'no changes' : describeActions(summary);
  const blocks = [
    `## platon-db plan for ${codeSpan(plan.instance)}: ${headline}`,
    // The counts are in the heading and errors get their own alert: this line only says what was compared.
    isEmptyPlan(summary)
      ? `The live instance matches databases/ at commit ${escapeMarkdown(plan.commit)}.`
      : `Planned against the live instance at commit ${escapeMarkdown(plan.commit)}.`,
  ];
  if (plan.errors.length > 0) blocks.push(renderErrors(plan.errors));
  if (plan.notes.length > 0) blocks.push(renderNotes(sections, plan.instance));
  if (sections.length > 0) blocks.push(renderTable(sections, plan.instance));
  for (const section of sections) {
    if (section.changes.length > 0) blocks.push(`${DETAILS_MARKER}\n${renderDetails(section, plan.instance)}`);
  }
  return `${blocks.join('\n\n')}\n`;
}

function renderErrors(errors: readonly PlanError[]): string {
  const lines = [
    errors.every((e) => e.database !== INSTANCE_WIDE)
      ? `**${plural(errors.length, 'error')}.** The databases named below are not changed until fixed; every other change applies (the apply still fails).`
      : `**${plural(errors.length, 'error')} ${errors.length === 1 ? 'blocks' : 'block'} this plan.** ` + 'Nothing is applied until every error is fixed.',
    '',
    ...errors.flatMap((error) => {
      const item = `- ${codeSpan(error.file)}: ${inlineMarkdown(error.message)} (${codeSpan(error.code)})`;
      // A trailing backslash is a hard line break: the hint gets its own line in the same item.
      return error.hint === undefined ? [item] : [`${item}\\`, `  Hint: ${inlineMarkdown(error.hint)}`];
    }),
  ];
  // A GitHub alert renders as a red box: errors must not be missed.
  return ['> [!CAUTION]', ...lines.map((line) => (line ? `> ${line}` : '>'))].join('\n');
}

/** `` `shop` ``, or `` instance `shared-pg15` (instance-wide) `` for the allowlist and RDS checks. */
const sectionName = (section: PlanSection, instance: string): string =>
  isInstanceWide(section) ? `instance ${codeSpan(instance)} ${instanceWideLabel(section)}` : codeSpan(section.database);

const instanceWideLabel = (section: PlanSection): string =>
  section.removals ? '(instance-wide, access removed last)' : '(instance-wide)';

function renderNotes(sections: readonly PlanSection[], instance: string): string {
  const items = sections.flatMap((section) =>
    section.notes.map((note) => {
      const { label, text } = describeNote(note);
      return `- **${label}** ${sectionName(section, instance)}: ${inlineMarkdown(text)}`;
    }),
  );
  return ['### Notes', '', ...items].join('\n');
}

function renderTable(sections: readonly PlanSection[], instance: string): string {
  // Team comes from ownership markers, which only creates and marker updates carry.
  const withTeam = sections.some((s) => s.team !== undefined);
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const header = row(['Database', ...(withTeam ? ['Team'] : []), 'Create', 'Change', 'Destroy', 'Notes']);
  const align = row(['---', ...(withTeam ? ['---'] : []), '---:', '---:', '---:', '---']);
  const rows = sections.map((s) =>
    row([
      tableCell(sectionName(s, instance)),
      ...(withTeam ? [s.team === undefined ? '' : escapeMarkdown(s.team)] : []),
      String(s.counts.create),
      String(s.counts.update),
      String(s.counts.delete),
      [s.errors.length && `**${plural(s.errors.length, 'error')}**`, s.notes.length && plural(s.notes.length, 'note')]
        .filter(Boolean)
        .join(', '),
    ]),
  );
  return ['### Databases', '', header, align, ...rows].join('\n');
}

function renderDetails(section: PlanSection, instance: string): string {
  const sql = section.changes.flatMap((planned, index) => [
    ...(index > 0 ? [''] : []),
    // One line: a newline in a summary would end the SQL comment.
    `-- ${ACTION_SYMBOL[planned.action]} ${planned.summary.replace(/\s*[\r\n]+\s*/g, ' ')}`,
    ...displayScript(planned),
  ]);
  const name = isInstanceWide(section)
    ? `instance <code>${escapeHtml(instance)}</code> ${instanceWideLabel(section)}`
    : `<code>${escapeHtml(section.database)}</code>`;
  // Allowlist changes are API calls, not SQL.
  const language = section.changes.some((c) => c.statements.length > 0) ? 'sql' : 'text';
  // The blank lines let GitHub parse the markdown inside the HTML block.
  return [`<details><summary>${name}: ${describeNonZero(section.counts)}</summary>`, '', codeBlock(language, sql), '', '</details>'].join('\n');
}

const describeNonZero = (counts: ActionCounts): string =>
  describeActions(counts)
    .split(', ')
    .filter((part) => !part.startsWith('0 '))
    .join(', ');
