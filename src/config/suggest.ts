// "Did you mean …?" for misspelt keys, roles, commands and flags.

/**
 * Edit distance where a swap of two neighbouring letters counts as one edit (optimal string
 * alignment), because transposed letters (`memebrs`) are the commonest typo.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

/**
 * The candidate closest to `word`, or undefined when none is close enough to be a plausible typo.
 * Case is ignored (`Admin` suggests `admin`); ties go to the earlier candidate, so callers list the
 * likelier ones first. Short words allow one edit, longer ones about one per three letters, so that
 * `usr` suggests nothing rather than something arbitrary.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const allowed = lower.length <= 3 ? 1 : Math.max(2, Math.floor(lower.length / 3));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` did you mean "x"?` with its leading separator, or an empty string when there is no suggestion. */
export function didYouMean(word: string, candidates: Iterable<string>, separator = '; '): string {
  const match = suggest(word, candidates);
  return match === undefined ? '' : `${separator}did you mean ${JSON.stringify(match)}?`;
}
