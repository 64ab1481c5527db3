/**
 * Golden files for allowlist changes and instance-wide findings in every plan format: an
 * instance section first, API calls where SQL would be, errors located on the instance file.
 */
import { describe, expect, it } from 'vitest';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { allowlistErrorPlan, allowlistPlan } from '../fixtures/plans/allowlist.js';

describe('allowlist plan golden files', () => {
  it('text', async () => {
    await expect(renderPlanText(allowlistPlan, { color: false })).toMatchFileSnapshot('../golden/plan-allowlist.txt');
  });
  it('markdown', async () => {
    await expect(renderPlanMarkdown(allowlistPlan)).toMatchFileSnapshot('../golden/plan-allowlist.md');
  });
  it('json', async () => {
    await expect(renderPlanJson(allowlistPlan)).toMatchFileSnapshot('../golden/plan-allowlist.json');
  });
  it('text, errors', async () => {
    await expect(renderPlanText(allowlistErrorPlan, { color: false })).toMatchFileSnapshot('../golden/plan-allowlist-errors.txt');
  });
  it('markdown, errors', async () => {
    await expect(renderPlanMarkdown(allowlistErrorPlan)).toMatchFileSnapshot('../golden/plan-allowlist-errors.md');
  });
});

describe('allowlist changes across formats', () => {
  it('keeps the apply order in json and the reading order of ARCHITECTURE.md in text', () => {
    const json = JSON.parse(renderPlanJson(allowlistPlan)) as { changes: { kind: string; database: string }[] };
    expect(json.changes.map((c) => c.kind)).toEqual(['authorize-ingress', 'update-ingress-description', 'create-role', 'revoke-ingress']);
    const text = renderPlanText(allowlistPlan, { color: false });
    const at = (needle: string) => text.indexOf(needle);
    expect(at('+ allow 2001:db8:1::/48')).toBeLessThan(at('+ create role shop_owner'));
    expect(at('+ create role shop_owner')).toBeLessThan(at('- revoke 203.0.113.16/28'));
  });

  it('shows the exact EC2 request in json, and the same line as text and markdown', () => {
    const json = JSON.parse(renderPlanJson(allowlistPlan)) as { changes: { apiCall?: { text: string; input: unknown } }[] };
    const call = json.changes[0]!.apiCall!;
    expect(call.input).toEqual(allowlistPlan.changes[0]!.apiCall!.input);
    expect(renderPlanText(allowlistPlan, { color: false })).toContain(call.text);
    expect(renderPlanMarkdown(allowlistPlan)).toContain(call.text);
  });
});
