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
 * Search on PostgreSQL (a server or PGlite): precomputed documents whose GIN-indexed tsvector holds German
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
      const run = (similar: { key: string; skill_id: string }[]) => {
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
          // An id that is not a number matches nothing (rather than dropping the filter and matching everything).
          filters: { ...request.filters, skill: request.filters.skill?.map((id) => (isId(id) ? id : "-1")) },
          sort: request.sort,
          limit: request.perPage,
          offset: (request.page - 1) * request.perPage,
          excludeUserIds: (request.excludeUserIds ?? []).filter(isId),
          facets: request.facets ?? true,
          skillFacetSize: SKILL_FACET_SIZE,
        };
        return request.index === "posts" ? queries.searchPostDocuments(sql, plan) : queries.searchPersonDocuments(sql, plan);
      };
      let result = await run([]);
      // Nothing found: read the words as typos of skill names ("Holzbearbeitng") and try once more.
      const correctable = tokens.filter((token) => !token.symbolic).map((token) => token.key);
      if (result.total === 0 && correctable.length) {
        const similar = await queries.similarSkillsForKeys(sql, phrase ? [...correctable, phrase] : correctable, TYPO_SIMILARITY, TYPO_SKILLS_PER_WORD);
        if (similar.length) result = await run(similar);
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
