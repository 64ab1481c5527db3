/** What every plan format must guarantee, whatever the plan: no secrets, no stray colour, same counts. */
import { describe, expect, it } from 'vitest';
import { PASSWORD_PLACEHOLDER, type Plan, type SecretRef } from '../../src/model/change.js';
import { displaySql, secretReference } from '../../src/render/display-sql.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { describeOutcome, summarisePlan } from '../../src/render/plan-summary.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { errorPlan, mixedPlan } from '../fixtures/plans/local.js';
import { emptyPlan, fullPlan, largePlan } from '../fixtures/plans/shared-pg15.js';
import { allowlistErrorPlan, allowlistPlan } from '../fixtures/plans/allowlist.js';

const plans: [string, Plan][] = [
  ['full', fullPlan],
  ['empty', emptyPlan],
  ['mixed', mixedPlan],
  ['errors only', errorPlan],
  ['large', largePlan(3)],
  ['allowlist', allowlistPlan],
  ['allowlist errors', allowlistErrorPlan],
];
const formats: [string, (plan: Plan) => string][] = [
  ['text', (plan) => renderPlanText(plan, { color: false })],
  ['text with colour', (plan) => renderPlanText(plan, { color: true })],
  ['markdown', renderPlanMarkdown],
  ['json', renderPlanJson],
];
const everyPlanInEveryFormat = plans.flatMap(([name, plan]) =>
  formats.map(([format, render]) => ({ name, plan, format, render })),
);
const secretsOf = (plan: Plan): SecretRef[] =>
  plan.changes.flatMap((c) => c.statements.flatMap((s) => (s.password ? [s.password] : [])));
// The placeholder as a token, as the applier substitutes it.
const PLACEHOLDER = new RegExp(`${PASSWORD_PLACEHOLDER}(?![A-Za-z0-9_$])`);

describe('displaySql', () => {
  const ref: SecretRef = { store: 'file', path: '.platon/secrets/local/app/rw.json', database: 'app', user: 'rw' };
  it.each([
    ['no secret: unchanged', { sql: 'GRANT "a" TO "b"' }, 'GRANT "a" TO "b"'],
    [
      'placeholder becomes the reference',
      { sql: `CREATE ROLE "shop_rw" LOGIN CONNECTION LIMIT 20 PASSWORD ${PASSWORD_PLACEHOLDER}`, password: ref },
      `CREATE ROLE "shop_rw" LOGIN CONNECTION LIMIT 20 PASSWORD '<SCRAM-SHA-256 verifier of file:.platon/secrets/local/app/rw.json>'`,
    ],
    [
      'a longer name that starts like the placeholder stays',
      { sql: `SELECT :password_hint, ${PASSWORD_PLACEHOLDER}`, password: ref },
      `SELECT :password_hint, '<SCRAM-SHA-256 verifier of file:.platon/secrets/local/app/rw.json>'`,
    ],
    [
      'quotes in the path are doubled; $& is not a replacement pattern',
      { sql: `ALTER ROLE "x" PASSWORD ${PASSWORD_PLACEHOLDER}`, password: { ...ref, path: "it's/$&" } },
      `ALTER ROLE "x" PASSWORD '<SCRAM-SHA-256 verifier of file:it''s/$&>'`,
    ],
  ])('%s', (_name, statement, expected) => {
    expect(displaySql(statement)).toBe(expected);
  });
});

describe.each(everyPlanInEveryFormat)('$format of the $name plan', ({ plan, format, render }) => {
  const output = render(plan);

  it('never shows the password placeholder, only a reference per secret', () => {
    expect(output).not.toMatch(PLACEHOLDER);
    for (const ref of secretsOf(plan)) {
      // JSON escapes nothing in a reference, so the same text appears in every format.
      expect(output).toContain(secretReference(ref));
    }
  });

  it(format === 'text with colour' ? 'has colour' : 'has no colour codes', () => {
    expect(/\x1b\[/.test(output)).toBe(format === 'text with colour');
  });

  it('ends with exactly one newline', () => {
    expect(output.endsWith('\n') && !output.endsWith('\n\n')).toBe(true);
  });
});

describe('counts', () => {
  it.each([
    ['full', fullPlan, { create: 22, update: 1, delete: 0, notes: 3, errors: 1 }],
    ['empty', emptyPlan, { create: 0, update: 0, delete: 0, notes: 0, errors: 0 }],
    ['mixed', mixedPlan, { create: 1, update: 1, delete: 1, notes: 1, errors: 1 }],
    ['errors only', errorPlan, { create: 0, update: 0, delete: 0, notes: 1, errors: 2 }],
  ] as const)('%s plan', (_name, plan, expected) => {
    expect(summarisePlan(plan)).toEqual(expected);
    expect(JSON.parse(renderPlanJson(plan)).summary).toEqual(expected);
    expect(renderPlanText(plan, { color: false }).trimEnd().split('\n').at(-1)).toBe(describeOutcome(expected, plan));
  });

  it.each([
    [{ create: 0, update: 0, delete: 0, notes: 2, errors: 0 }, 'No changes. The live instance matches databases/.'],
    [{ create: 12, update: 1, delete: 0, notes: 0, errors: 0 }, 'Plan: 12 to create, 1 to change, 0 to destroy.'],
    [
      { create: 0, update: 0, delete: 0, notes: 0, errors: 2 },
      'Plan: 0 to create, 0 to change, 0 to destroy. Blocked by 2 errors: nothing will be applied until they are fixed.',
    ],
  ])('outcome of %o', (summary, expected) => {
    expect(describeOutcome(summary)).toBe(expected);
  });
});

describe('text output is safe for a terminal', () => {
  const hostile: Plan = {
    ...mixedPlan,
    changes: [{ ...mixedPlan.changes[1]!, summary: 'alter role\x1b[2J app_rw\rhidden\nsecond line' }],
    errors: [],
  };
  it('shows control characters as U+FFFD and keeps a summary on one line', () => {
    const text = renderPlanText(hostile, { color: false });
    expect(text).not.toMatch(/[\x1b\r]/);
    expect(text).toContain('~ alter role\uFFFD[2J app_rw hidden second line\n');
  });
});
