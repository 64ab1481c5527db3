/**
 * Who approved a pull request, as GitHub's merge check counts it: each reviewer's latest decisive
 * review (a comment neither approves nor withdraws; a later "changes requested" or a dismissal
 * does). Pending reviews are not submitted and count for nothing.
 */
const DECISIVE = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

export function approvers(reviews: readonly { readonly user: string; readonly state: string }[]): string[] {
  const latest = new Map<string, string>();
  for (const review of reviews) if (DECISIVE.has(review.state)) latest.set(review.user, review.state);
  return [...latest].filter(([, state]) => state === 'APPROVED').map(([user]) => user).sort();
}
