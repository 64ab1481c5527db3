/**
 * One comment per purpose on a pull request, updated in place: the usual "sticky comment". Ours is
 * the first one we wrote (the token's own login) whose body starts with the hidden marker. A
 * person who mentions the marker, or pastes a whole plan comment, keeps their comment: GitHub lets
 * a token with write access edit anyone's comment, so the author check is ours to make.
 */
import type { GitHubApi, IssueComment } from './api.js';

export type StickyResult = { readonly action: 'created' | 'updated' | 'unchanged'; readonly comment: IssueComment };

/** An HTML comment GitHub does not render, e.g. `<!-- platon-db:plan -->`. */
export const hiddenMarker = (name: string): string => `<!-- platon-db:${name} -->`;

/** The body we post: marker on its own first line, then the markdown. */
export const markedBody = (marker: string, markdown: string): string => `${marker}\n${markdown}`;

export async function upsertStickyComment(api: GitHubApi, issue: number, marker: string, markdown: string): Promise<StickyResult> {
  const body = markedBody(marker, markdown);
  const [comments, viewer] = await Promise.all([api.listComments(issue), api.viewer()]);
  const existing = comments.find((c) => c.author === viewer && c.body.startsWith(marker));
  if (!existing) return { action: 'created', comment: await api.createComment(issue, body) };
  // GitHub stores CRLF for some clients; compare what a reader would see.
  if (normalise(existing.body) === normalise(body)) return { action: 'unchanged', comment: existing };
  return { action: 'updated', comment: await api.updateComment(existing.id, body) };
}

const normalise = (text: string): string => text.replace(/\r\n/g, '\n').trimEnd();
