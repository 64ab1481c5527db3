/**
 * The one open issue that says an instance has drifted from git. Found by the `drift` label, a
 * per-instance hidden marker and its author (the token's login), so each instance has its own
 * issue and a person's issue labelled `drift` is never taken over, even one quoting our marker.
 */
import type { GitHubApi, Issue } from './api.js';
import { hiddenMarker, markedBody } from './sticky-comment.js';

export const DRIFT_LABEL = 'drift';

export const driftMarker = (instance: string): string => hiddenMarker(`drift:${instance}`);

export type DriftSync =
  | { readonly action: 'opened' | 'updated' | 'unchanged'; readonly issue: Issue }
  | { readonly action: 'closed'; readonly issues: readonly Issue[] }
  | { readonly action: 'none' };

export interface DriftState {
  readonly instance: string;
  /** Markdown for the issue body when there is drift; null when the instance matches git. */
  readonly drift: string | null;
  /** Posted on the issue when it is closed, e.g. which run found the drift gone. */
  readonly resolvedNote: string;
}

export async function syncDriftIssue(api: GitHubApi, state: DriftState): Promise<DriftSync> {
  const marker = driftMarker(state.instance);
  const [open, viewer] = await Promise.all([api.openIssuesWithLabel(DRIFT_LABEL), api.viewer()]);
  const ours = open.filter((issue) => issue.author === viewer && issue.body.startsWith(marker));
  if (state.drift === null) {
    if (ours.length === 0) return { action: 'none' };
    for (const issue of ours) {
      await api.createComment(issue.number, state.resolvedNote);
      await api.updateIssue(issue.number, { state: 'closed' });
    }
    return { action: 'closed', issues: ours };
  }
  const body = markedBody(marker, state.drift);
  const [current] = ours;
  if (!current) {
    return { action: 'opened', issue: await api.createIssue({ title: driftTitle(state.instance), body, labels: [DRIFT_LABEL] }) };
  }
  if (current.body.replace(/\r\n/g, '\n').trimEnd() === body.trimEnd()) return { action: 'unchanged', issue: current };
  return { action: 'updated', issue: await api.updateIssue(current.number, { body }) };
}

export const driftTitle = (instance: string): string => `Drift: instance ${instance} differs from databases/`;
