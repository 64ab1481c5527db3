/**
 * "did you mean ...?" for keys, extensions and instances. Suggests only near misses, so a hint is
 * right far more often than not: same letters ignoring case, `_` and `-` (`read_only` ->
 * `readOnly`), or a small edit distance relative to the length.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const folded = fold(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = fold(candidate) === folded ? 0 : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= allowed(word) ? best : undefined;
}

export const didYouMean = (word: string, candidates: Iterable<string>, render: (s: string) => string = (s) => `\`${s}\``): string | undefined => {
  const match = closest(word, candidates);
  return match === undefined ? undefined : `did you mean ${render(match)}?`;
};

const fold = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/** One typo per four letters, at least one, at most three. */
const allowed = (word: string) => Math.min(3, Math.max(1, Math.floor(word.length / 4)));

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
