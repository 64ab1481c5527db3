/** What apply prints at the end when some databases had errors: what went through, what waits. */
import { describe, expect, it } from 'vitest';
import { renderApplyResult } from '../../src/render/apply-result.js';
import { withHeldBack } from '../../src/apply/runnable.js';
import { fullPlan, legacyError } from '../fixtures/plans/shared-pg15.js';

describe('apply result with databases that had errors', () => {
  it('counts the changes held back in those databases', () => {
    const held = fullPlan.changes.slice(-1);
    const runnable = fullPlan.changes.slice(0, -1);
    const plan = { ...fullPlan, errors: [{ ...legacyError, database: held[0]!.change.database }] };
    const text = renderApplyResult(plan, withHeldBack(plan, runnable, { applied: runnable, notApplied: [] }));
    expect(text).toContain(`Applied ${runnable.length} changes to instance shared-pg15; 1 change held back in the databases with errors.`);
  });

  it('says those databases were left as they are when nothing was planned there, not "0 not applied"', () => {
    const text = renderApplyResult(fullPlan, { applied: fullPlan.changes, notApplied: [] });
    expect(text).toContain(`Applied ${fullPlan.changes.length} changes to instance shared-pg15; the databases with errors were left as they are.`);
    expect(text).not.toMatch(/\b0 (changes )?not applied/);
  });
});
