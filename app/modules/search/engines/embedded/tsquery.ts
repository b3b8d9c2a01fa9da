/**
 * The embedded engine's tsquery text, built here from lexemes the database stemmed once per word (see
 * queries.server.ts wordFacts). Passing the finished query as one parameter keeps the search statement free of
 * function calls the planner would otherwise inline and fold for every execution (most of its planning time).
 * Same meaning as the SQL helpers of 0003_search.sql: a word matches by its German or English stem (the last
 * word typed also as a prefix), a token also by its skill key ('k:c#') or skill ids ('s:42').
 */
import { isId } from "~/lib/ids";

/** A word's lexemes in both languages; empty for stop words ("und", "the"). */
export type WordStems = { de: string[]; en: string[] };

const quote = (lexeme: string) => `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
const any = (parts: string[]) => (parts.length <= 1 ? (parts[0] ?? "") : `(${parts.join(" | ")})`);
const all = (parts: string[]) => (parts.length <= 1 ? (parts[0] ?? "") : `(${parts.join(" & ")})`);

/** One word: its German or its English lexemes (a compound the parser splits needs all its parts). */
export function wordTsquery(stems: WordStems, prefix: boolean): string {
  const side = (lexemes: string[]) =>
    all([...new Set(lexemes)].filter(Boolean).map((lexeme) => quote(lexeme) + (prefix && lexeme.length >= 3 ? ":*" : "")));
  return any([...new Set([side(stems.de), side(stems.en)].filter(Boolean))]);
}

/** A skill label key as a lexeme ('k:3ddruck'); the characters tsquery treats as syntax are dropped. */
export function keyTsquery(key: string): string {
  const cleaned = key.replace(/[\s'\\:&|!()<>*]/g, "");
  return cleaned ? quote(`k:${cleaned}`) : "";
}

export function skillsTsquery(skillIds: string[]): string {
  return any([...new Set(skillIds.filter(isId))].map((id) => quote(`s:${id}`)));
}

/**
 * A token: all its words (a token of stop words only is neutral: ""), or its key, or one of the skills. Symbolic
 * tokens (C#, C++) match by key and skills only.
 */
export function tokenTsquery(token: { words: WordStems[]; key: string; symbolic: boolean; prefix: boolean; skillIds: string[] }): string {
  const words = token.symbolic
    ? []
    : token.words.map((stems, index) => wordTsquery(stems, token.prefix && index === token.words.length - 1));
  const matched = words.filter(Boolean);
  if (!token.symbolic && token.words.length > 0 && matched.length === 0) return "";
  return any([all(matched), keyTsquery(token.key), skillsTsquery(token.skillIds)].filter(Boolean));
}

export const anyOf = (parts: string[]) => any(parts.filter(Boolean));
export const allOf = (parts: string[]) => all(parts.filter(Boolean));
