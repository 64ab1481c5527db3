/**
 * The description of a managed rule: `platon-db: shop, wiki`, `platon-db: baseline Office` or
 * `platon-db: baseline Office; shop`. AWS takes up to 255 characters of `a-zA-Z0-9`, space and
 * `._-:/()#,@[]+=;{}!$*` (RDS.md) and refuses anything else, so the text is made to fit here rather
 * than failing half-way through an apply. Deterministic: the same users give the same text, so an
 * unchanged allowlist plans no description updates.
 */
import { MANAGED_PREFIX } from '../model/allowlist.js';

export const MAX_DESCRIPTION = 255;
/** Leaves room for database names after a long baseline description. */
const MAX_BASELINE = 100;
const DISALLOWED = /[^a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]+/g;

/** `Büro – VPN` -> `Buro - VPN`: accents dropped, other characters AWS refuses become `-`. */
export function cleanDescription(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/g, ' ')
    .replace(DISALLOWED, '-')
    .trim();
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 3).trimEnd()}...`);

export function ruleDescription(users: { readonly baseline?: string; readonly usedBy: readonly string[] }): string {
  const baseline = users.baseline === undefined ? '' : ` baseline ${clip(cleanDescription(users.baseline), MAX_BASELINE)}`;
  const head = `${MANAGED_PREFIX}${baseline}`;
  if (users.usedBy.length === 0) return head;
  const separator = baseline ? '; ' : ' ';
  const names = users.usedBy.map(cleanDescription);
  // As many names as fit, then how many more: the repository, not the rule, is the full record.
  for (let shown = names.length; shown >= 0; shown--) {
    const more = names.length - shown;
    const text = `${head}${separator}${[...names.slice(0, shown), ...(more > 0 ? [`(+${more} more)`] : [])].join(', ')}`;
    if (text.length <= MAX_DESCRIPTION) return text;
  }
  return clip(head, MAX_DESCRIPTION);
}
