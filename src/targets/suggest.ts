/** "Did you mean": the closest name by edit distance, close enough to be a typo or a near miss. */

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * The candidate nearest to `input`, when it is within a few edits (two, or a sixth of its length). A candidate
 * that only adds to the end (`thumbv7em-none-eabi` → `…-eabihf`) counts as one edit closer: a missing suffix is
 * the likelier slip than a changed letter.
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === input) continue;
    const lower = c.toLowerCase();
    const d = distance(input.toLowerCase(), lower) - (lower.startsWith(input.toLowerCase()) ? 1.5 : 0);
    if (d < bestDistance || (d === bestDistance && best !== undefined && c.length < best.length)) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 6)) ? best : undefined;
}
