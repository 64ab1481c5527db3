/** The PR comment: text from files must not break it, and it must fit GitHub's comment limit. */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/change.js';
import { GITHUB_COMMENT_LIMIT, shortenMarkdown } from '../../src/render/plan-markdown-shorten.js';
import { codeBlock, codeSpan, escapeHtml, escapeMarkdown, inlineMarkdown, tableCell } from '../../src/render/plan-markdown-syntax.js';
import { DETAILS_MARKER, renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { mixedPlan } from '../fixtures/plans/local.js';
import { fullPlan, largePlan } from '../fixtures/plans/shared-pg15.js';

describe('markdown escaping', () => {
  it.each([
    ['plain words stay readable', 'database legacy exists (not managed)', 'database legacy exists (not managed)'],
    ['pipes cannot split a table cell', 'a | b', 'a \\| b'],
    ['HTML is shown, not parsed', '<details open> & <img src=x>', '&lt;details open> &amp; &lt;img src=x>'],
    ['emphasis and links are literal', '*x* _y_ [z](http://e) ~w~', '\\*x\\* \\_y\\_ \\[z\\](http://e) \\~w\\~'],
    ['a lone backtick cannot open a code span', 'it`s', 'it\\`s'],
    ['backslashes are literal', 'C:\\path', 'C:\\\\path'],
    ['newlines cannot start a block', 'first\n# heading\n> quote', 'first # heading > quote'],
    ['block syntax at the start is escaped', '# not a heading', '\\# not a heading'],
    ['an ordered-list start is escaped', '1. not a list', '1\\. not a list'],
    ['mentions do not notify', 'ask @platon/dba', 'ask @\u2060platon/dba'],
  ])('escapeMarkdown: %s', (_name, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it.each([
    ['balanced backticks become a code span', 'run `platon-db import x` now', 'run `platon-db import x` now'],
    ['code spans keep their text literally', 'use `a|b <c>`', 'use `a|b <c>`'],
    ['double backticks may hold a single one', 'say ``it`s`` | ok', 'say ``it`s`` \\| ok'],
    ['an unbalanced backtick is escaped', 'one ` two', 'one \\` two'],
    ['text around code is escaped', '<x> `y` *z*', '&lt;x> `y` \\*z\\*'],
  ])('inlineMarkdown: %s', (_name, input, expected) => {
    expect(inlineMarkdown(input)).toBe(expected);
  });

  it.each([
    ['name', '`name`'],
    ['a`b', '``a`b``'],
    ['`edge`', '`` `edge` ``'],
  ])('codeSpan(%j)', (input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it('codeBlock fences with more backticks than the content holds', () => {
    expect(codeBlock('sql', ["COMMENT ON ROLE \"r\" IS '````'"])).toBe("`````sql\nCOMMENT ON ROLE \"r\" IS '````'\n`````");
    expect(codeBlock('sql', ['SELECT 1;'])).toBe('```sql\nSELECT 1;\n```');
  });

  it('escapeHtml and tableCell', () => {
    expect(escapeHtml('<b>"x" & y</b>')).toBe('&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;');
    expect(tableCell('`a|b`')).toBe('`a\\|b`');
    expect(tableCell('a \\| b')).toBe('a \\| b');
  });

  it('a plan with hostile text keeps its structure', () => {
    const plan: Plan = {
      ...mixedPlan,
      changes: [
        {
          ...mixedPlan.changes[1]!,
          summary: 'alter role app_rw\n</details>\n# gotcha',
          statements: [{ sql: "COMMENT ON ROLE \"app_rw\" IS '```\n</details>'" }],
        },
      ],
      notes: [{ kind: 'warning', database: 'app', message: 'x | y <script>alert(1)</script>' }],
    };
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('x \\| y &lt;script>alert(1)&lt;/script>');
    // The SQL comment stays on one line, and the fence outgrows the statement's backticks.
    expect(markdown).toContain('````sql\n-- ~ alter role app_rw </details> # gotcha\n');
    expect(markdown.match(/^<\/details>$/gm)).toHaveLength(1);
  });
});

describe('shortenMarkdown', () => {
  const hint = 'The full plan is the `plan` artifact of [this run](https://github.com/example/actions/runs/1).';
  const markdown = renderPlanMarkdown(fullPlan);
  const summaryPart = markdown.slice(0, markdown.indexOf(DETAILS_MARKER)).trimEnd();

  it('returns a plan that fits unchanged, up to the exact limit', () => {
    expect(shortenMarkdown(markdown, markdown.length, hint)).toBe(markdown);
    expect(shortenMarkdown(markdown, markdown.length - 1, hint)).not.toBe(markdown);
  });

  it('never exceeds the limit, for every limit', () => {
    for (let limit = 0; limit <= markdown.length; limit += 1) {
      const short = shortenMarkdown(markdown, limit, hint);
      expect(short.length, `limit ${limit}`).toBeLessThanOrEqual(limit);
    }
  });

  it('keeps the summary and says where the full plan is', () => {
    // The tightest limit that keeps the whole summary: no SQL fits beside it, only the note.
    let limit = summaryPart.length;
    while (!shortenMarkdown(markdown, limit, hint).startsWith(summaryPart)) limit += 1;
    const short = shortenMarkdown(markdown, limit, hint);
    expect(short).toContain(hint);
    expect(short).toContain('the SQL of every database is left out');
    expect(short).not.toContain(DETAILS_MARKER);
  });

  it('keeps whole folded databases that fit, skipping a large one before a small one', () => {
    const drift = fullPlan.changes.find((c) => c.change.database === 'library')!;
    const plan: Plan = {
      ...fullPlan,
      changes: [...fullPlan.changes, { ...drift, change: { ...drift.change, database: 'zoo' } }],
    };
    const full = renderPlanMarkdown(plan);
    const webshopBlock = full.length - full.indexOf(`${DETAILS_MARKER}\n<details><summary><code>webshop`);
    const short = shortenMarkdown(full, full.length - webshopBlock + 800, hint);
    expect(short).toContain('<code>library</code>');
    expect(short).toContain('<code>timetable</code>');
    expect(short).not.toContain('<code>webshop</code>');
    expect(short).toContain('<code>zoo</code>');
    expect(short).toContain('the SQL of 1 of 4 databases is left out');
    expect(short.match(/<details>/g)).toHaveLength(3);
    expect(short.match(/<\/details>/g)).toHaveLength(3);
  });

  it('fits a first import of hundreds of databases into one GitHub comment', () => {
    const large = renderPlanMarkdown(largePlan(150));
    expect(large.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const short = shortenMarkdown(large, GITHUB_COMMENT_LIMIT, hint);
    expect(short.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(short.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 2_000);
    expect(short).toContain('| `team149` |');
    expect(short).toContain(hint);
  });

  it('cuts the summary itself at a line when nothing else fits', () => {
    const short = shortenMarkdown(markdown, 600, hint);
    expect(short).toContain('This plan is too long for one comment and was cut short.');
    expect(short.startsWith('## platon-db plan for `shared-pg15`')).toBe(true);
  });
});
