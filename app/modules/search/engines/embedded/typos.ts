/** Typo correction of single query words, independent of the engine's storage. Browser-safe. */

/** Lower-case, no accents, ß → ss: how the embedded engine's word list (search_words) spells words. */
export function foldWord(word: string): string {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ß/g, "ss");
}

/** Words worth correcting: Latin letters (and digits), 4+ characters, not a number. */
export function isCorrectable(folded: string): boolean {
  return /^[a-z0-9]{4,}$/.test(folded) && !/^\d+$/.test(folded);
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1
 * ("fnster" → "fenster" 1, "kitcehn" → "kitchen" 1). Stops early and returns max + 1 once it exceeds max.
 */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
  }
  return rows[a.length]![b.length]!;
}

/** How many edits a word of this length may have: one up to 7 letters, two from 8. */
export const allowedEdits = (length: number) => (length >= 8 ? 2 : 1);

export type Candidate = { word: string; spelling: string; labels: number; de: string | null; en: string | null };

/**
 * The corrections of an unknown word among candidates that look like it (most alike by trigrams first): those
 * with the fewest edits (within allowedEdits), in the candidates' order, at most `limit`.
 */
export function bestCorrections<C extends Candidate>(word: string, candidates: C[], limit = 3): C[] {
  const allowed = allowedEdits(word.length);
  const scored = candidates
    .map((candidate) => ({ candidate, edits: editDistance(word, candidate.word, allowed) }))
    // A stop word ("and", "und": no stem in either language) is never what a person meant.
    .filter((entry) => entry.edits <= allowed && entry.candidate.word !== word && (entry.candidate.de || entry.candidate.en));
  if (scored.length === 0) return [];
  const fewest = Math.min(...scored.map((entry) => entry.edits));
  return scored
    .filter((entry) => entry.edits === fewest)
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/** The word and the word with each one letter left out (distinct): two words within one edit share one of these. */
export function deletionVariants(word: string): string[] {
  const letters = [...word];
  return [...new Set([word, ...letters.map((_, index) => [...letters.slice(0, index), ...letters.slice(index + 1)].join(""))])];
}
