/** What an apply did, for people: what went through, what failed, what is left, where credentials are. */
import type { Plan } from '../model/change.js';
import type { ApplyResult } from '../apply/apply.js';
import { secretLocation } from './display-sql.js';
import { plural } from './plan-summary.js';

export function renderApplyResult(plan: Plan, result: ApplyResult): string {
  const lines: string[] = [];
  const credentials = result.applied.flatMap((p) => (p.change.kind === 'create-role' && p.change.secret ? [p.change] : []));
  if (credentials.length > 0) {
    lines.push('', 'Credentials (read them from the secret store; they are never printed):');
    for (const c of credentials) lines.push(`  ${c.role}: ${secretLocation(c.secret!)}`);
  }
  if (result.failed) {
    lines.push(
      '',
      `Apply failed at: ${result.failed.change.summary}`,
      `  ${result.failed.message}`,
      `${plural(result.applied.length, 'change')} applied, ${result.notApplied.length + 1} not applied.`,
      'Fix the cause and run apply again: it plans afresh and continues where this run stopped.',
    );
  } else if (plan.errors.length > 0 || (result.databaseFailures?.length ?? 0) > 0) {
    const held = result.notApplied.length > 0 ? `; ${plural(result.notApplied.length, 'change')} held back in the databases with errors` : '; the databases with errors were left as they are';
    lines.push('', `Applied ${plural(result.applied.length, 'change')} to instance ${plan.instance}${held}.`);
  } else if (plan.changes.length > 0) {
    lines.push('', `Apply complete: ${plural(result.applied.length, 'change')} applied to instance ${plan.instance}.`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
