import type { QueryToken } from "../query";

/** A piece of text; marked pieces matched the query. Rendered as React elements, never as HTML. */
export type Segment = { text: string; mark?: boolean };

const WORD = /[\p{L}\p{N}#+]+/gu;

function fold(word: string) {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ß/g, "ss");
}

function commonPrefixLength(a: string, b: string) {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return index;
}

/**
 * Whether a word of the text answers a query word: as a prefix ("Holz" → "Holzbau"), with another ending
 * ("Werkstätten" ↔ "Werkstatt") or with a small typo near the end ("Holzbearbeitng" ↔ "Holzbearbeitung").
 * Good enough to show why a result matched; ranking is the engine's job.
 */
function wordMatches(word: string, queryWords: string[], symbolKeys: string[]) {
  const folded = fold(word);
  if (/[#+]/.test(folded)) return symbolKeys.includes(folded);
  return queryWords.some((query) => {
    if (query.length < 2) return folded === query;
    if (folded.startsWith(query)) return true;
    // Most of the longer word shared from the start: inflections and typos near the end, not other words
    // that merely begin alike ("Holzbau" is not "Holzbearbeitng").
    const longer = Math.max(folded.length, query.length);
    return Math.min(folded.length, query.length) >= 5 && commonPrefixLength(folded, query) >= Math.max(4, Math.ceil(0.8 * longer));
  });
}

function matcher(tokens: QueryToken[]) {
  const queryWords = [...new Set(tokens.filter((token) => !token.symbolic).flatMap((token) => token.words.map(fold)))];
  const symbolKeys = tokens.filter((token) => token.symbolic).map((token) => token.key);
  return (word: string) => wordMatches(word, queryWords, symbolKeys);
}

/** Splits text into marked and unmarked segments; adjacent pieces of the same kind are merged. */
export function highlight(text: string, tokens: QueryToken[]): Segment[] {
  if (!text) return [];
  if (tokens.length === 0) return [{ text }];
  const matches = matcher(tokens);
  const segments: Segment[] = [];
  const push = (piece: string, mark: boolean) => {
    if (!piece) return;
    const last = segments[segments.length - 1];
    if (last && Boolean(last.mark) === mark) last.text += piece;
    else segments.push(mark ? { text: piece, mark: true } : { text: piece });
  };
  let position = 0;
  for (const found of text.matchAll(WORD)) {
    const start = found.index ?? 0;
    push(text.slice(position, start), false);
    push(found[0], matches(found[0]));
    position = start + found[0].length;
  }
  push(text.slice(position), false);
  return segments;
}

/** Up to maxLength characters of a long text around its first match, with "…" where it was cut. */
export function snippet(text: string, tokens: QueryToken[], maxLength = 220): Segment[] {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= maxLength) return highlight(flat, tokens);
  const matches = matcher(tokens);
  let first = 0;
  for (const found of flat.matchAll(WORD)) {
    if (tokens.length && matches(found[0])) {
      first = found.index ?? 0;
      break;
    }
  }
  let start = Math.max(0, first - 60);
  if (start > 0) {
    const space = flat.indexOf(" ", start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  let end = Math.min(flat.length, start + maxLength);
  if (end < flat.length) {
    const space = flat.lastIndexOf(" ", end);
    if (space > start + maxLength / 2) end = space;
  }
  const segments = highlight(flat.slice(start, end), tokens);
  if (start > 0) segments.unshift({ text: "… " });
  if (end < flat.length) segments.push({ text: " …" });
  return segments;
}
