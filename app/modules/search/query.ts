import { normalizeSkillLabel } from "~/modules/skills/normalize";
import { CATEGORIES, EXCHANGE_MODES, LEIPZIG_DISTRICTS, POST_KINDS, PROFILE_DISTRICTS, ROLES } from "~/lib/reference";
import { MAX_PAGE, MAX_QUERY_LENGTH, type SearchFilters, type SearchIndexName, type SearchSort } from "./types";
import { isId } from "~/lib/ids";

/**
 * Makes any user input a harmless query: no control characters, single spaces, at most MAX_QUERY_LENGTH
 * characters. Engines never see anything longer or stranger.
 */
export function cleanQuery(raw: string | null | undefined): string {
  if (!raw) return "";
  return raw
    .slice(0, MAX_QUERY_LENGTH * 4)
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_QUERY_LENGTH)
    .trim();
}

export type QueryToken = {
  /** As typed (for highlighting). */
  text: string;
  /** normalizeSkillLabel() key: "C#" → "c#", "3D-Druck" → "3ddruck". */
  key: string;
  /** Letters-and-digits words for full text: "3D-Druck" → ["3d", "druck"]. */
  words: string[];
  /** Symbols carry the meaning (C#, C++): match skill keys only, never the bare letter. */
  symbolic: boolean;
};

const MAX_TOKENS = 8;

/** Splits a cleaned query into at most 8 tokens that both engines and the highlighter understand. */
export function queryTokens(query: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  for (const text of query.split(" ")) {
    const key = normalizeSkillLabel(text);
    if (!key || tokens.some((token) => token.key === key)) continue;
    const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => word.slice(0, 60));
    tokens.push({ text, key, words, symbolic: /[#+]/.test(key) });
    if (tokens.length === MAX_TOKENS) break;
  }
  return tokens;
}

/** The whole query as one skill key ("timber construction" → "timberconstruction"), when it has 2+ tokens. */
export function phraseKey(tokens: QueryToken[]): string | undefined {
  return tokens.length > 1 ? tokens.map((token) => token.key).join("") : undefined;
}

/** Up to this many tokens, a phrase is also read in every other word order (4 tokens: 24 keys). */
const REORDER_MAX_TOKENS = 4;

/**
 * The phrase key in every order of its tokens, the typed order first ("design clothing" → "designclothing",
 * "clothingdesign"): people name a skill with its words in another order than its label has them, and word
 * order rarely tells two skills apart. Longer queries keep only the typed order (the count grows as n!).
 */
export function phraseKeysInAnyOrder(tokens: QueryToken[]): string[] {
  if (tokens.length < 2) return [];
  if (tokens.length > REORDER_MAX_TOKENS) return [phraseKey(tokens)!];
  const orders = (keys: string[]): string[][] =>
    keys.length <= 1
      ? [keys]
      : keys.flatMap((key, index) => orders([...keys.slice(0, index), ...keys.slice(index + 1)]).map((rest) => [key, ...rest]));
  return [...new Set(orders(tokens.map((token) => token.key)).map((keys) => keys.join("")))];
}

export type SearchParams = {
  tab: SearchIndexName;
  query: string;
  filters: SearchFilters;
  sort: SearchSort;
  page: number;
};

const BOROUGHS = Object.keys(LEIPZIG_DISTRICTS);
const allowed = (values: string[], choices: readonly string[]) => [...new Set(values.filter((value) => choices.includes(value)))];

/**
 * Reads the search page's URL. Unknown or malformed values are dropped instead of failing: a shared or
 * hand-edited link always gives a page.
 */
export function parseSearchParams(params: URLSearchParams): SearchParams {
  const all = (name: string) => params.getAll(name).slice(0, 50);
  const tab: SearchIndexName = params.get("tab") === "people" ? "people" : "posts";
  const pageNumber = Number.parseInt(params.get("page") ?? "1", 10);
  const filters: SearchFilters = {
    role: allowed(all("role"), ROLES),
    borough: allowed(all("borough"), BOROUGHS),
    district: allowed(all("district"), PROFILE_DISTRICTS),
    skill: [...new Set(all("skill").filter((value) => isId(value)))].slice(0, 10),
    remote: params.get("remote") === "1" ? true : undefined,
  };
  if (tab === "posts") {
    filters.kind = allowed(all("kind"), POST_KINDS);
    filters.category = allowed(all("category"), CATEGORIES);
    filters.mode = allowed(all("mode"), EXCHANGE_MODES);
  }
  return {
    tab,
    query: cleanQuery(params.get("q")),
    filters,
    sort: params.get("sort") === "newest" ? "newest" : "relevance",
    page: Number.isFinite(pageNumber) ? Math.min(MAX_PAGE, Math.max(1, pageNumber)) : 1,
  };
}

/** The URL of a search state; empty values are left out so links stay short and shareable. */
export function searchHref(state: Partial<SearchParams> & { tab: SearchIndexName }): string {
  const params = new URLSearchParams();
  if (state.query) params.set("q", state.query);
  if (state.tab === "people") params.set("tab", "people");
  const filters = state.filters ?? {};
  for (const name of ["kind", "category", "role", "borough", "district", "skill", "mode"] as const) {
    for (const value of filters[name] ?? []) params.append(name, value);
  }
  if (filters.remote) params.set("remote", "1");
  if (state.sort === "newest") params.set("sort", "newest");
  if (state.page && state.page > 1) params.set("page", String(state.page));
  const search = params.toString();
  return search ? `/search?${search}` : "/search";
}
