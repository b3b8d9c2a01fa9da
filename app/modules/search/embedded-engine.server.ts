import type { Db } from "~/lib/db.server";
import { phraseKey, queryTokens } from "./query";
import * as queries from "./queries.server";
import {
  SKILL_FACET_SIZE,
  type DocumentOf,
  type PersonDocument,
  type PostDocument,
  type SearchEngine,
  type SearchIndexName,
  type SearchRequest,
  type SearchResult,
} from "./types";

/** How alike a query word and a skill label must be to count as a typo of it (pg_trgm similarity). */
const TYPO_SIMILARITY = 0.5;
const TYPO_SKILLS_PER_WORD = 5;

const isId = (value: string) => /^\d{1,18}$/.test(value);

/**
 * Counting a broad search (a bare listing, a common word) means reading every match: half a second at
 * 100,000 posts, for a number ("12,345 Treffer") and facet counts nobody can tell apart from a minute-old
 * one. So the total and facets of searches with at least BROAD_RESULTS hits are kept for BROAD_COUNTS_TTL_MS
 * per process, and the next pages, sort orders and visitors read only their page of hits. Narrow searches
 * are always counted exactly, so a new post shows in its own counts at once.
 */
const BROAD_RESULTS = 1000;
const BROAD_COUNTS_TTL_MS = 60_000;
const BROAD_COUNTS_MAX_ENTRIES = 2000;
type KnownCounts = { total: number; facets: SearchResult<SearchIndexName>["facets"]; expiresAt: number };
const broadCounts = new Map<string, KnownCounts>();

function knownCounts(key: string): KnownCounts | undefined {
  const known = broadCounts.get(key);
  if (known && known.expiresAt > Date.now()) return known;
  if (known) broadCounts.delete(key);
  return undefined;
}

function rememberCounts(key: string, total: number, facets: KnownCounts["facets"]) {
  broadCounts.set(key, { total, facets, expiresAt: Date.now() + BROAD_COUNTS_TTL_MS });
  if (broadCounts.size > BROAD_COUNTS_MAX_ENTRIES) broadCounts.delete(broadCounts.keys().next().value as string);
}

/** Tests that change many documents and count again start from exact counts. */
export function forgetBroadSearchCounts() {
  broadCounts.clear();
}

/**
 * Search on PostgreSQL (DATABASE_URL or the embedded server): precomputed documents whose GIN-indexed tsvector holds German
 * and English stems (unaccented) of title, skill labels in both languages (synonyms), description, plus
 * skill label keys for symbols (C#, C++); a query that finds nothing is retried with the skills its words
 * look like (pg_trgm similarity on skill_labels) to forgive typos. Every method uses the `sql` it was made with, so the outbox worker can run
 * it inside its transaction.
 */
export function createEmbeddedEngine(sql: Db): SearchEngine {
  async function index<I extends SearchIndexName>(target: I, documents: DocumentOf<I>[]) {
    if (target === "posts") await queries.upsertPostDocuments(sql, documents as PostDocument[]);
    else await queries.upsertPersonDocuments(sql, documents as PersonDocument[]);
  }

  return {
    name: "embedded",
    index,

    async remove(target, ids) {
      const valid = ids.filter(isId);
      if (target === "posts") await queries.deletePostDocuments(sql, valid);
      else await queries.deletePersonDocuments(sql, valid);
    },

    async removePostsOfAuthors(authorIds) {
      await queries.deletePostDocumentsOfAuthors(sql, authorIds.filter(isId));
    },

    async search<I extends SearchIndexName>(request: SearchRequest<I>): Promise<SearchResult<I>> {
      const tokens = queryTokens(request.query);
      const phrase = phraseKey(tokens);
      const facets = request.facets ?? true;
      const excludeUserIds = (request.excludeUserIds ?? []).filter(isId);
      // An id that is not a number matches nothing (rather than dropping the filter and matching everything).
      const filters = { ...request.filters, skill: request.filters.skill?.map((id) => (isId(id) ? id : "-1")) };
      const countsKey = JSON.stringify([request.index, request.query.trim().toLowerCase(), filters, excludeUserIds, facets]);
      const run = (similar: { key: string; skill_id: string }[], counts: boolean) => {
        const similarTo = (key: string) => similar.filter((row) => row.key === key).map((row) => row.skill_id);
        const plan: queries.EmbeddedSearchPlan = {
          tokens: tokens.map((token, position) => ({
            words: token.words,
            key: token.key,
            symbolic: token.symbolic,
            last: position === tokens.length - 1,
            similarSkillIds: similarTo(token.key),
          })),
          phrase: phrase ? { key: phrase, similarSkillIds: similarTo(phrase) } : undefined,
          filters,
          sort: request.sort,
          limit: request.perPage,
          offset: (request.page - 1) * request.perPage,
          excludeUserIds,
          facets,
          counts,
          skillFacetSize: SKILL_FACET_SIZE,
        };
        return request.index === "posts" ? queries.searchPostDocuments(sql, plan) : queries.searchPersonDocuments(sql, plan);
      };
      const known = knownCounts(countsKey);
      if (known) {
        const page = await run([], false);
        return { total: known.total, hits: page.hits, facets: known.facets } as SearchResult<I>;
      }
      let result = await run([], true);
      if (result.total >= BROAD_RESULTS) rememberCounts(countsKey, result.total, result.facets);
      // Nothing found: read the words as typos of skill names ("Holzbearbeitng") and try once more.
      const correctable = tokens.filter((token) => !token.symbolic).map((token) => token.key);
      if (result.total === 0 && correctable.length) {
        const similar = await queries.similarSkillsForKeys(sql, phrase ? [...correctable, phrase] : correctable, TYPO_SIMILARITY, TYPO_SKILLS_PER_WORD);
        if (similar.length) result = await run(similar, true);
      }
      return result as SearchResult<I>;
    },

    // Synonyms come from skill_labels through the documents' label keys and alt labels: nothing to apply.
    async applySettings() {},

    async reindex<I extends SearchIndexName>(target: I, batches: AsyncIterable<DocumentOf<I>[]>) {
      // Upsert everything, then drop what the rebuild did not touch: the index is never empty meanwhile.
      const startedAt = await queries.databaseNow(sql);
      for await (const documents of batches) await index(target, documents);
      await queries.deleteDocumentsIndexedBefore(sql, target, startedAt);
    },

    async health() {
      return { ok: true };
    },
  };
}
