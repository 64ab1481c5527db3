/**
 * What a commit changed in a database file, field by field, so an audit can say "added
 * 192.0.2.0/28 to access.external" instead of "3 lines changed". Lists of networks are compared
 * by CIDR, lists of names as sets, everything else by path. Pure.
 */
import type { FieldChange } from '../model/audit.js';

/** `before`/`after` are parsed files (plain data); null when the file did not exist. */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  compare(before ?? {}, after ?? {}, '', out);
  return out;
}

function compare(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) compareField(before[key], after[key], join(path, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    compareList(before, after, path, out);
    return;
  }
  if (!same(before, after)) out.push({ kind: 'changed', path, from: show(before), to: show(after) });
}

function compareField(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (before === undefined && after === undefined) return;
  // A field that appears or goes: its items or leaves, so a new `access.external` lists its CIDRs.
  if (before === undefined) return spread(after, path, 'added', out);
  if (after === undefined) return spread(before, path, 'removed', out);
  compare(before, after, path, out);
}

function spread(value: unknown, path: string, kind: 'added' | 'removed', out: FieldChange[]): void {
  if (isObject(value)) for (const [key, inner] of Object.entries(value)) spread(inner, join(path, key), kind, out);
  else if (Array.isArray(value)) for (const item of value) out.push({ kind, path, value: showItem(item) });
  else out.push({ kind, path, value: show(value) });
}

function compareList(before: readonly unknown[], after: readonly unknown[], path: string, out: FieldChange[]): void {
  const key = listKey(before, after);
  const identify = (item: unknown): string => (key ? String((item as Record<string, unknown>)[key]) : showItem(item));
  const index = (items: readonly unknown[]) => new Map(items.map((item) => [identify(item), item] as const));
  const was = index(before);
  const now = index(after);
  for (const [k, item] of was) if (!now.has(k)) out.push({ kind: 'removed', path, value: showItem(item) });
  for (const [k, item] of now) {
    const old = was.get(k);
    if (old === undefined) out.push({ kind: 'added', path, value: showItem(item) });
    // Same network, other details (a new description): say which.
    else if (key && !same(old, item)) compare(old, item, `${path}[${k}]`, out);
  }
}

/** Items that are mappings are matched by the first identifying key they all have. */
function listKey(before: readonly unknown[], after: readonly unknown[]): string | undefined {
  const items = [...before, ...after];
  if (items.length === 0 || !items.every(isObject)) return undefined;
  return ['cidr', 'name'].find((key) => items.every((item) => typeof (item as Record<string, unknown>)[key] === 'string'));
}

/** A network reads `192.0.2.0/28 (Partner servers)`; other items as compact JSON or their text. */
function showItem(item: unknown): string {
  if (isObject(item) && typeof item.cidr === 'string') {
    return typeof item.description === 'string' ? `${item.cidr} (${item.description})` : item.cidr;
  }
  return show(item);
}

const show = (value: unknown): string => (value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
