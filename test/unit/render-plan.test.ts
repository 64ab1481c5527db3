/**
 * Golden files: what reviewers see in a terminal, a PR comment and the json artifact. A change to
 * the output shows up as a diff of test/golden/ in review; update with `npx vitest run -u`.
 */
import { describe, expect, it } from 'vitest';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { errorPlan, mixedPlan } from '../fixtures/plans/local.js';
import { emptyPlan, fullPlan } from '../fixtures/plans/shared-pg15.js';

describe('plan golden files', () => {
  it('text', async () => {
    await expect(renderPlanText(fullPlan, { color: false })).toMatchFileSnapshot('../golden/plan.txt');
  });
  it('text, empty plan', async () => {
    await expect(renderPlanText(emptyPlan, { color: false })).toMatchFileSnapshot('../golden/plan-empty.txt');
  });
  it('text with colour, one change of each action', async () => {
    await expect(renderPlanText(mixedPlan, { color: true })).toMatchFileSnapshot('../golden/plan-color.txt');
  });
  it('markdown', async () => {
    await expect(renderPlanMarkdown(fullPlan)).toMatchFileSnapshot('../golden/plan.md');
  });
  it('markdown, errors only', async () => {
    await expect(renderPlanMarkdown(errorPlan)).toMatchFileSnapshot('../golden/plan-errors.md');
  });
  it('json', async () => {
    await expect(renderPlanJson(fullPlan)).toMatchFileSnapshot('../golden/plan.json');
  });
});
