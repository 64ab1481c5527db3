/**
 * The plan as a terminal or CI log shows it, Terraform-like: a section per team database, one line
 * per change (`+` create, `~` change, `-` destroy) with its exact SQL beneath, errors last so they are
 * what the reader sees above the closing line.
 */
import { INSTANCE_WIDE, type Plan, type PlanError, type PlannedChange } from '../model/change.js';
import { displayScript } from './display-sql.js';
import { ACTION_SYMBOL, describeNote, isInstanceWide, planSections, type PlanSection } from './plan-sections.js';
import { describeOutcome, summarisePlan } from './plan-summary.js';

export interface PlanTextOptions {
  /** ANSI colour; the caller decides (a TTY without NO_COLOR), never this module. */
  readonly color: boolean;
}

type Paint = (text: string) => string;
type Palette = Readonly<Record<'bold' | 'green' | 'yellow' | 'red' | 'boldRed', Paint>>;

const ansi = (open: string): Paint => (text) => `\x1b[${open}m${text}\x1b[0m`;
const COLOURS: Palette = { bold: ansi('1'), green: ansi('32'), yellow: ansi('33'), red: ansi('31'), boldRed: ansi('1;31') };
const plain: Paint = (text) => text;
const NO_COLOURS: Palette = { bold: plain, green: plain, yellow: plain, red: plain, boldRed: plain };

export function renderPlanText(plan: Plan, options: PlanTextOptions): string {
  const paint = options.color ? COLOURS : NO_COLOURS;
  const summary = summarisePlan(plan);
  const blocks: string[] = [];
  if (plan.changes.length + plan.notes.length + plan.errors.length > 0) {
    blocks.push(`platon-db plan for instance ${printable(plan.instance)} at commit ${printable(plan.commit)}`);
  }
  for (const section of planSections(plan)) {
    if (section.changes.length + section.notes.length > 0) blocks.push(renderSection(section, paint, plan.instance));
  }
  for (const error of plan.errors) blocks.push(renderError(error, paint, plan.instance));
  blocks.push(paint.bold(describeOutcome(summary, plan)));
  return `${blocks.join('\n\n')}\n`;
}

function renderSection(section: PlanSection, paint: Palette, instance: string): string {
  const about = [section.team && `team ${section.team}`, section.file].filter(Boolean).join(', ');
  const title = !isInstanceWide(section)
    ? `# ${printable(section.database)}${about ? ` (${printable(about)})` : ''}`
    : section.removals
      ? `# instance ${printable(instance)}: network access removed (instance-wide, applied last)`
      : `# instance ${printable(instance)} (instance-wide: network access reaches every database)`;
  const lines = [paint.bold(title)];
  for (const planned of section.changes) lines.push(...renderChange(planned, paint));
  for (const note of section.notes) {
    const { label, text } = describeNote(note);
    const marker = label === 'warning' ? paint.yellow(`! ${label}:`) : `= ${label}:`;
    lines.push(`  ${marker} ${printable(text)}`);
  }
  return lines.join('\n');
}

const ACTION_PAINT = { create: 'green', update: 'yellow', delete: 'red' } as const;

function renderChange(planned: PlannedChange, paint: Palette): string[] {
  const symbol = paint[ACTION_PAINT[planned.action]](ACTION_SYMBOL[planned.action]);
  const sql = displayScript(planned).flatMap((script) =>
    printable(script, { keepNewlines: true })
      .split('\n')
      .map((line) => `      ${line}`),
  );
  return [`  ${symbol} ${printable(planned.summary)}`, ...sql];
}

function renderError(error: PlanError, paint: Palette, instance: string): string {
  const about = error.database === INSTANCE_WIDE ? `instance ${instance}` : `database ${error.database}`;
  const lines = [
    `${paint.boldRed('Error:')} ${printable(error.message)}`,
    `  in ${printable(error.file)} (${printable(about)}, ${printable(error.code)})`,
  ];
  if (error.hint !== undefined) lines.push(`  hint: ${printable(error.hint)}`);
  return lines.join('\n');
}

/**
 * Text from files and the live instance goes to a terminal: control characters (an ESC starting an
 * ANSI sequence, a carriage return hiding a line) are shown as U+FFFD, and messages stay on one line.
 */
function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  const flat = options.keepNewlines ? text.replace(/\r\n?/g, '\n') : text.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}
