/**
 * did-you-mean: the closest allowed word by edit distance (case-insensitive).
 * Guarantees: pure; returns undefined when nothing is close enough, so a hint never suggests an
 * unrelated word. Close enough: at most max(1, ⌊length/3⌋) edits, length of the longer word.
 * Ties go to the word listed first, so suggestions are stable.
 */

/**
 * Number of single-character insertions, deletions, substitutions and swaps of two neighbours
 * from a to b (optimal string alignment distance: `dve` is one edit from `dev`).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The allowed word closest to `word`, or undefined when none is close enough. */
export function didYouMean(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = word.toLowerCase();
  for (const candidate of allowed) {
    if (candidate === word) continue;
    const d = editDistance(w, candidate.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(word.length, candidate.length) / 3));
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
