/** Words for paths and values in messages meant for people who do not read JSON pointers. */
import type { YamlPath } from '../load/parse-yaml.js';

/**
 * `team`, `users.readOnly`, `cidr` of access.external entry 2, entry 1 of `extensions`.
 * Entries count from 1, as people do; the line number in front says exactly where.
 */
export function describePath(path: YamlPath): string {
  if (path.length === 0) return 'the file';
  let lastIndex = -1;
  path.forEach((segment, i) => {
    if (typeof segment === 'number') lastIndex = i;
  });
  if (lastIndex === -1) return `\`${dotted(path)}\``;
  const entry = `entry ${(path[lastIndex] as number) + 1}`;
  const before = dotted(path.slice(0, lastIndex));
  if (lastIndex === path.length - 1) return `${entry} of \`${before}\``;
  return `\`${dotted(path.slice(lastIndex + 1))}\` of ${before} ${entry}`;
}

/** `access.external.cidr`: a path without entry numbers, used to look up per-field wording. */
export const fieldOf = (path: YamlPath): string => dotted(path.filter((s): s is string => typeof s === 'string'));

const dotted = (path: YamlPath) => path.filter((s) => typeof s === 'string').join('.');

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  array: 'a list',
  object: 'a mapping (`key: value` lines)',
  null: 'empty',
};

export const typeWord = (type: string): string => TYPE_WORDS[type] ?? type;

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `the text ${quote(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

/** A user's text in a message: JSON-quoted (so control characters show) and cut short. */
export function quote(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}

/** The first sentence of a schema description: what the field is, without the fine print. */
export function firstSentence(description: string | undefined): string {
  if (!description) return '';
  for (const match of description.matchAll(/\.(\s|$)/g)) {
    const end = match.index + 1;
    // "e.g. Partner" does not end a sentence.
    if (!/\b(e\.g|i\.e|etc)\.$/.test(description.slice(0, end))) return description.slice(0, end);
  }
  return description;
}
