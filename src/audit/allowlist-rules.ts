/**
 * The allowlist half of the live audit: which databases (or which baseline network) a managed
 * rule is for, read back from its description, and the commit on main that asked for its CIDR.
 * Nothing records when a rule was applied, so "when" is when that commit reached main. Pure.
 */
import { MANAGED_PREFIX } from '../model/allowlist.js';
import type { AuditEntry } from '../model/audit.js';

/** `platon-db: shop, wiki`, `platon-db: baseline Office; shop`; `(+2 more)` when AWS's 255 characters ran out. */
export function ruleUsers(description: string): { readonly baseline: boolean; readonly databases: readonly string[]; readonly truncated: boolean } {
  const body = description.slice(MANAGED_PREFIX.length).trim();
  const baseline = body.startsWith('baseline');
  // A baseline's own description may hold commas, so the databases are what follows its `; `.
  const list = baseline ? (body.includes('; ') ? body.slice(body.indexOf('; ') + 2) : '') : body;
  const names = list.split(', ').map((n) => n.trim()).filter((n) => n !== '');
  const databases = names.filter((n) => !/^\(\+\d+ more\)$/.test(n));
  return { baseline, databases, truncated: databases.length < names.length };
}

/** Where a CIDR is asked for: a database's `access.external`, the instance's `baselineNetworks`. */
export const NETWORK_PATHS = ['access.external', 'baselineNetworks'] as const;

/**
 * The latest commit among `histories` that added `cidr` to a network list: the change that the
 * rule as it stands came from (an earlier add was removed in between, or it would not be added again).
 */
export function addedBy(cidr: string, histories: readonly { readonly file: string; readonly history: readonly AuditEntry[] }[]): { readonly file: string; readonly entry: AuditEntry } | undefined {
  const adds = histories.flatMap(({ file, history }) =>
    history
      .filter((entry) => entry.changes.some((c) => c.kind === 'added' && (NETWORK_PATHS as readonly string[]).includes(c.path) && networkOf(c.value) === cidr))
      .map((entry) => ({ file, entry })),
  );
  return adds.sort((a, b) => Date.parse(a.entry.date) - Date.parse(b.entry.date)).at(-1);
}

/** A change's value reads `192.0.2.0/28 (Partner servers)` or `192.0.2.0/28`. */
const networkOf = (value: string): string => value.split(' ')[0]!;
