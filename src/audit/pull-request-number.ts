/**
 * The pull request a commit on main came from, read from the subject GitHub writes: a merge commit
 * says `Merge pull request #12 from org/branch`, a squash merge ends `Title (#12)`. A rebase merge
 * leaves no trace in the subject; the GitHub API can still tell (commits/{sha}/pulls).
 */
export function pullRequestNumber(subject: string): number | undefined {
  const match = /^Merge pull request #(\d+)\b/.exec(subject) ?? /\(#(\d+)\)\s*$/.exec(subject);
  return match ? Number(match[1]) : undefined;
}
