/**
 * GitHub rejects a comment body over 65,536 characters. A large plan (a first import, many new
 * databases) keeps its summary (heading, errors, notes, table) and as many folded databases as fit;
 * a note then points at the full plan artifact.
 */
import { DETAILS_MARKER } from './plan-markdown.js';

/** GitHub's limit on an issue or pull-request comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * `markdown` as renderPlanMarkdown writes it, shortened to at most `limit` UTF-16 code units: a count
 * never below GitHub's, which counts characters. `artifactHint` is markdown, e.g. a link to the run.
 * Callers that prepend a sticky-comment marker subtract its length from `limit` themselves.
 */
export function shortenMarkdown(markdown: string, limit: number, artifactHint: string): string {
  if (markdown.length <= limit) return markdown;
  const [head = '', ...details] = markdown.split(`\n\n${DETAILS_MARKER}\n`).map((part) => part.trimEnd());
  const folded = (block: string) => `\n\n${DETAILS_MARKER}\n${block}`;
  const withNote = (body: string, note: string) => `${body}\n\n${note}\n`;

  let body = head;
  let leftOut = details.length;
  const leftOutNote = (count: number) =>
    alert(
      `This plan is too long for one comment: the SQL of ${count === details.length ? 'every database' : `${count} of ${details.length} databases`} is left out.`,
      artifactHint,
    );
  if (withNote(body, leftOutNote(leftOut)).length <= limit) {
    // Greedy in table order: one huge database should not hide the small ones after it.
    for (const block of details) {
      const next = body + folded(block);
      if (withNote(next, leftOutNote(leftOut - 1)).length <= limit) {
        body = next;
        leftOut -= 1;
      }
    }
    return withNote(body, leftOutNote(leftOut));
  }
  // Even the summary is too long (thousands of errors or notes): keep the lines that fit.
  const cutNote = alert('This plan is too long for one comment and was cut short.', artifactHint);
  const lastBreak = head.lastIndexOf('\n', limit - withNote('', cutNote).length);
  if (lastBreak > 0) return withNote(head.slice(0, lastBreak), cutNote);
  return cutAt(`${cutNote}\n`, limit);
}

const alert = (text: string, hint: string): string =>
  ['> [!NOTE]', `> ${text}`, ...hint.split('\n').map((line) => `> ${line}`)].join('\n');

/** A prefix of at most `length` code units that does not end inside a surrogate pair. */
function cutAt(text: string, length: number): string {
  const cut = text.slice(0, Math.max(length, 0));
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
