/**
 * Markdown building blocks that stay correct whatever the text holds. Messages, hints and
 * summaries can carry `|`, `<`, backticks or newlines from team files; on GitHub those would break a
 * table, open an HTML tag or a code span, or (with `@`) ping people.
 */

/**
 * Inline text in a paragraph, list item or table cell: one line, no markup, no HTML, no mentions.
 * Only inline syntax is escaped (block syntax such as `#` or `1.` matters only at a line start, and a
 * leading one is escaped too), so the comment's source stays readable.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]|~]|^[#>+=-]/g, (c) => `\\${c}`)
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/[&<]/g, (c) => (c === '&' ? '&amp;' : '&lt;'))
    // A zero-width joiner after `@` keeps the text but stops GitHub from notifying a user or team.
    .replace(/@(?=[A-Za-z0-9])/g, '@\u2060');
}

/**
 * Like escapeMarkdown, but a balanced backtick span (our messages and hints mark commands and names
 * that way, e.g. "adopt it with `platon-db import legacy`") becomes a code span; code spans take
 * their content literally, so `<`, `|` and `@` inside stay harmless.
 */
export function inlineMarkdown(text: string): string {
  const flat = oneLine(text);
  let out = '';
  let last = 0;
  // A run of n backticks, content, and a run of exactly n backticks (CommonMark's rule).
  for (const match of flat.matchAll(/(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)/g)) {
    out += escapeMarkdown(flat.slice(last, match.index)) + codeSpan(match[2] ?? '');
    last = match.index + match[0].length;
  }
  return out + escapeMarkdown(flat.slice(last));
}

/** Text inside an HTML element such as `<summary>`, where markdown is not parsed. */
export const escapeHtml = (text: string): string =>
  oneLine(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** An inline code span that holds any text: the fence is longer than any backtick run inside. */
export function codeSpan(text: string): string {
  const flat = oneLine(text);
  const fence = '`'.repeat(longestRun(flat, '`') + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block that holds any text, by the same rule (at least three backticks). */
export function codeBlock(language: string, lines: readonly string[]): string {
  const body = lines.join('\n');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

/** GitHub splits table rows on `|` before it parses code spans, so a cell escapes them itself. */
export const tableCell = (markdown: string): string => markdown.replace(/(?<!\\)\|/g, '\\|');

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
