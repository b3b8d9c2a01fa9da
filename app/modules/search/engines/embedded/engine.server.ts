import type { Db, Sql } from "~/lib/db.server";
import { normalizeSkillLabel } from "~/modules/skills/normalize";
import { phraseKey, phraseKeysInAnyOrder, queryTokens, type QueryToken } from "../../query";
import { anyOf, keyTsquery, skillsTsquery, tokenTsquery, type WordStems } from "./tsquery";
import { allowedEdits, bestCorrections, deletionVariants, foldWord, isCorrectable } from "./typos";
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
} from "../../types";
import { isId } from "~/lib/ids";

/** How alike a query word and a skill label must be to count as a typo of it (pg_trgm similarity). */
const TYPO_SIMILARITY = 0.5;
const TYPO_SKILLS_PER_WORD = 5;
/** Label words compared per unknown query word (the most similar by trigrams), and corrections kept per token. */
const WORD_CANDIDATES = 12;
const CORRECTIONS_PER_TOKEN = 3;
/** A query of several words with fewer hits than this that have all words also lists documents with most of them. */
const RELAX_BELOW = 10;
/** Related skills a named skill brings along (skill_relations, closest first). */
const RELATED_PER_SKILL = 8;
/** Skills beyond which query words found together in one of their labels say too little to rank by. */
const TOGETHER_MAX_SKILLS = 50;
/** Documents per token counted when choosing which tokens a relaxed search leaves out. */
const FREQUENCY_CAP = 1000;

/**
 * Counting a broad search (a bare listing, a common word) means reading every match: half a second at
 * 100,000 posts, for a number ("12,345 Treffer") and facet counts nobody can tell apart from a minute-old
 * one. So the total and facets of searches with at least BROAD_RESULTS hits are kept for BROAD_COUNTS_TTL_MS,
 * and the next pages, sort orders and visitors read only their page of hits. Narrow searches are always
 * counted exactly, so a new post shows in its own counts at once.
 *
 * Several instances must show the same totals: every write to the search tables notifies `search_changed`
 * (a trigger, migration 0018), and each process that follows it (followSearchChanges, called by the server at
 * start) forgets what it kept. A process that does not listen keeps nothing. Within the minute a post that
 * expires can still be counted; that drift is the same on every instance only up to when each counted.
 */
const BROAD_RESULTS = 1000;
const BROAD_COUNTS_TTL_MS = 60_000;
const BROAD_COUNTS_MAX_ENTRIES = 2000;
/** Which statement found the results: every token or most tokens, and skills that look like the query. */
type HowMatched = { match: queries.MatchLevel; similar: { key: string; skill_id: string }[] };
type KnownCounts = { total: number; facets: SearchResult<SearchIndexName>["facets"]; how: HowMatched; expiresAt: number };
const broadCounts = new Map<string, KnownCounts>();
/** True while this process hears every change to the search tables; only then are counts kept. */
let followingSearchChanges = false;

function knownCounts(key: string): KnownCounts | undefined {
  if (!followingSearchChanges) return undefined;
  const known = broadCounts.get(key);
  if (known && known.expiresAt > Date.now()) return known;
  if (known) broadCounts.delete(key);
  return undefined;
}

function rememberCounts(key: string, counts: Omit<KnownCounts, "expiresAt">) {
  if (!followingSearchChanges) return;
  broadCounts.set(key, { ...counts, expiresAt: Date.now() + BROAD_COUNTS_TTL_MS });
  if (broadCounts.size > BROAD_COUNTS_MAX_ENTRIES) broadCounts.delete(broadCounts.keys().next().value as string);
}

/**
 * Searches being counted right now, by the same key: a visitor asking for the same counts meanwhile (the next page,
 * the other sort order, the same listing) waits for that count instead of running it again. When a process starts,
 * or a minute's counts expire, under load, every connection would otherwise count the same listing at once (fifty
 * statements of a third of a second each at 100,000 posts, one per connection).
 */
const countsInFlight = new Map<string, Promise<void>>();

/** Tests that change many documents and count again start from exact counts. */
export function forgetBroadSearchCounts() {
  broadCounts.clear();
}

/**
 * Listens on `search_changed` (a connection of its own, reconnected by postgres.js) and forgets the kept counts on
 * every change and on every (re)connect, since notifications sent while the connection was down are lost.
 * Returns a function that stops listening.
 */
export async function followSearchChanges(sql: Sql): Promise<() => Promise<void>> {
  const { unlisten } = await sql.listen(
    "search_changed",
    () => broadCounts.clear(),
    () => {
      broadCounts.clear();
      followingSearchChanges = true;
    },
  );
  return async () => {
    followingSearchChanges = false;
    broadCounts.clear();
    await unlisten();
  };
}

/** What the engine knows about a query before searching: each token and the phrase as tsquery text. */
type QueryHints = {
  /** Per token, and the phrase: literal and corrected tsquery text (whole-label look-alikes added on retry). */
  plan: (similar: { key: string; skill_id: string }[]) => {
    tokens: queries.TokenPlan[];
    phrase?: queries.TokenPlan;
    named?: string[];
    correctedNamed?: string[];
    together?: string[];
    related?: { ids: string[]; weights: number[] };
  };
  /** Related skill id → the skill the query names. */
  relatedTo: Record<string, string>;
  /** The query with each corrected word replaced by its best correction ("Meintest du: …?"). */
  correctedQuery?: string;
};

const NO_STEMS: WordStems = { de: [], en: [] };

/**
 * What the skill labels say about the query, in two indexed look-ups: skills whose label is a token or the whole
 * phrase; every word's stems; and for every word the labels do not know (not the word, not its stem, not the
 * start of one as the last word typed) the label words within one or two edits, wherever the typo is.
 */
async function queryHints(sql: Db, tokens: QueryToken[], phrase: string | undefined): Promise<QueryHints> {
  if (tokens.length === 0) return { plan: () => ({ tokens: [] }), relatedTo: {} };
  const asked = new Map<string, queries.AskedWord>();
  tokens.forEach((token, position) => {
    if (token.symbolic) return;
    token.words.forEach((word, index) => {
      const folded = foldWord(word);
      const prefix = position === tokens.length - 1 && index === token.words.length - 1;
      const seen = asked.get(word);
      const correctable = isCorrectable(folded);
      asked.set(word, {
        word,
        folded,
        prefix: prefix || Boolean(seen?.prefix),
        correctable,
        variants: correctable ? deletionVariants(folded) : [],
      });
    });
  });
  // The whole query as a label key: one token's key, or the phrase in any word order ("design clothing" names
  // the skill labelled "clothing design").
  const wholeKeys = (keyed: { key: string }[]) => (keyed.length === 1 ? [keyed[0]!.key] : phraseKeysInAnyOrder(keyed as QueryToken[]));
  const skillKeys = wholeKeys(tokens);
  const keys = [...new Set([...tokens.map((token) => token.key), ...skillKeys])];
  // The skill the query names (the whole query is one of its labels) brings its related skills along.
  const {
    labels: labelRows,
    facts,
    related: relations,
  } = await queries.queryFacts(sql, {
    keys,
    words: [...asked.values()],
    perWord: WORD_CANDIDATES,
    relatedKeys: skillKeys,
    perSkill: RELATED_PER_SKILL,
  });
  const named = new Set(relations.map((row) => row.skill_id));
  const relatedTo: Record<string, string> = {};
  const relatedWeight = new Map<string, number>();
  for (const row of relations) {
    if (named.has(row.related_skill_id) || (relatedWeight.get(row.related_skill_id) ?? 0) >= row.weight) continue;
    relatedWeight.set(row.related_skill_id, row.weight);
    relatedTo[row.related_skill_id] = row.skill_id;
  }
  const byWord = new Map(facts.map((row) => [row.word, row]));
  const stemsOf = (word: string): WordStems => byWord.get(word) ?? NO_STEMS;
  const fixes = new Map<string, queries.WordCandidate[]>();
  for (const row of facts) {
    if (row.known || !asked.get(row.word)?.correctable) continue;
    const folded = foldWord(row.word);
    let best = bestCorrections(folded, row.candidates, CORRECTIONS_PER_TOKEN);
    // Nothing one edit away: a long word may have two typos; the trigram index finds those (rarely needed, slower).
    if (best.length === 0 && allowedEdits(folded.length) > 1)
      best = bestCorrections(folded, await queries.similarWords(sql, folded, WORD_CANDIDATES), CORRECTIONS_PER_TOKEN);
    if (best.length) fixes.set(row.word, best);
  }
  const labelSkills = (key: string) => labelRows.filter((row) => row.key === key).map((row) => row.skill_id);
  const namedSkills = [...new Set(skillKeys.flatMap(labelSkills))];

  // Per token: up to three alternatives, each with every unknown word replaced by its n-th best correction.
  // The n-th corrected key of every token (its own key when it needs no correction).
  const correctedKeys = tokens.map(() => [] as string[]);
  const corrected = tokens.map((token, position) => {
    if (!token.words.some((word) => fixes.has(word))) return "";
    const prefix = position === tokens.length - 1;
    const alternatives = new Set<string>();
    for (let choice = 0; choice < CORRECTIONS_PER_TOKEN; choice++) {
      const fixed = token.words.map((word) => {
        const options = fixes.get(word);
        const pick = options?.[Math.min(choice, options.length - 1)];
        return pick
          ? { word: pick.word, stems: { de: pick.de ? [pick.de] : [], en: pick.en ? [pick.en] : [] } }
          : { word, stems: stemsOf(word) };
      });
      const key = normalizeSkillLabel(fixed.map((entry) => entry.word).join(""));
      correctedKeys[position]!.push(key);
      alternatives.add(tokenTsquery({ words: fixed.map((entry) => entry.stems), key, symbolic: false, prefix, skillIds: [] }));
    }
    return anyOf([...alternatives]);
  });
  // A mistyped query whose correction is a skill's label names that skill ("Uasachisch" → Kasachisch,
  // "assistive technomlogy" → assistive technology): its documents rank above the other corrected matches (every
  // document with the corrected word somewhere), below what was found as typed. One more look-up, only for typos.
  let correctedNamed: string[] = [];
  if (fixes.size && namedSkills.length === 0) {
    const wholeCorrected = new Set<string>();
    for (let choice = 0; choice < CORRECTIONS_PER_TOKEN; choice++) {
      const keyed = tokens.map((token, position) => ({ key: correctedKeys[position]![choice] ?? token.key }));
      for (const key of wholeKeys(keyed)) if (!keys.includes(key)) wholeCorrected.add(key);
    }
    correctedNamed = [...new Set((await queries.skillsNamedByLabelKeys(sql, [...wholeCorrected])).map((row) => row.skill_id))];
  }

  let correctedQuery: string | undefined;
  if (fixes.size) {
    correctedQuery = tokens
      .map((token) => {
        if (token.symbolic) return token.text;
        let index = 0;
        return token.text.replace(/[\p{L}\p{N}]+/gu, (typed) => {
          const best = fixes.get(token.words[index++] ?? "")?.[0];
          if (!best) return typed;
          const initial = typed.charAt(0);
          return initial !== initial.toLowerCase() ? best.spelling.charAt(0).toUpperCase() + best.spelling.slice(1) : best.spelling;
        });
      })
      .join(" ");
  }

  // A stop word in either language: German "die", "für", English "of", "a" (the other language keeps it as a word).
  const stopWord = (word: string) => {
    const stems = stemsOf(word);
    return stems.de.length === 0 || stems.en.length === 0;
  };
  const weak = tokens.map((token) => !token.symbolic && token.words.length > 0 && token.words.every(stopWord));
  // Several words that are not a label themselves may still be the key words of one ("production show" in
  // "radio show production"): documents tagged with a skill that has them together in one label rank above
  // documents that have them spread over different skills. Words that are everywhere say nothing, so only when
  // they are together in few skills.
  const telling = tokens.filter(
    (token, position) => !token.symbolic && !weak[position] && !token.words.some((word) => fixes.has(word)) && token.key.length >= 3,
  );
  let together: string[] = [];
  if (namedSkills.length === 0 && telling.length >= 2 && telling.length === tokens.filter((_, position) => !weak[position]).length) {
    const skills = await queries.skillsWithOneLabelHolding(
      sql,
      telling.map((token) => token.key),
      TOGETHER_MAX_SKILLS,
    );
    if (skills.length <= TOGETHER_MAX_SKILLS) together = skills;
  }
  return {
    correctedQuery,
    relatedTo,
    plan: (similar) => {
      const similarTo = (key: string) => similar.filter((row) => row.key === key).map((row) => row.skill_id);
      return {
        // weak and corrected have one entry per token
        tokens: tokens.map((token, position) => ({
          weak: weak[position]!,
          named: labelSkills(token.key),
          literal: tokenTsquery({
            words: token.words.map(stemsOf),
            key: token.key,
            symbolic: token.symbolic,
            prefix: position === tokens.length - 1,
            skillIds: labelSkills(token.key),
          }),
          corrected: anyOf([
            corrected[position]!,
            skillsTsquery(similarTo(token.key)),
            tokens.length === 1 ? skillsTsquery(correctedNamed) : "",
          ]),
        })),
        phrase: phrase
          ? {
              literal: anyOf([keyTsquery(phrase), skillsTsquery(namedSkills)]),
              corrected: anyOf([skillsTsquery(similarTo(phrase)), skillsTsquery(correctedNamed)]),
            }
          : undefined,
        named: namedSkills.length ? namedSkills : undefined,
        correctedNamed: correctedNamed.length ? correctedNamed : undefined,
        together: together.length ? together : undefined,
        related: relatedWeight.size ? { ids: [...relatedWeight.keys()], weights: [...relatedWeight.values()] } : undefined,
      };
    },
  };
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
      const hints = await queryHints(sql, tokens, phrase);
      const run = (how: HowMatched, counts: boolean) => {
        const plan: queries.EmbeddedSearchPlan = {
          ...hints.plan(how.similar),
          match: how.match,
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
      const withCorrection = (result: SearchResult<SearchIndexName>) => {
        const extra: Partial<SearchResult<SearchIndexName>> = {};
        if (hints.correctedQuery && result.total > 0) extra.correctedQuery = hints.correctedQuery;
        if ((result.hits as { related_skill_id?: string | null }[]).some((hit) => hit.related_skill_id)) extra.relatedTo = hints.relatedTo;
        return { ...result, ...extra } as SearchResult<I>;
      };

      // The full search: counts, relaxed matching and typo retries; its counts are kept when it is broad.
      const countFully = async () => {
        let how: HowMatched = { match: "all", similar: [] };
        let result = await run(how, true);
        // Several words and (almost) nothing has all of them: leave out the words that match nothing, then the
        // most common ones, one at a time (as Meilisearch's "frequency" strategy), until enough documents are found;
        // they rank by how many of the words they have. Stop words ("und", "of") never count.
        const strong = hints
          .plan([])
          .tokens.map((token, position) => ({ token, position }))
          .filter(({ token }) => !token.weak);
        const severalTokens = strong.length > 1;
        if (severalTokens && result.total < RELAX_BELOW) {
          const counts = await queries.tokenFrequencies(
            sql,
            request.index,
            strong.map(({ token }) => anyOf([token.literal, token.corrected])),
            FREQUENCY_CAP,
          );
          const present = strong.map((entry, index) => ({ ...entry, count: counts[index] ?? 0 })).filter((entry) => entry.count > 0);
          present.sort((a, b) => a.count - b.count || a.position - b.position);
          const levels: queries.MatchLevel[] = [];
          for (let keep = present.length === strong.length ? present.length - 1 : present.length; keep >= 2; keep--) {
            levels.push({ all: present.slice(0, keep).map((entry) => entry.position) });
          }
          // Last: any one of the words that are not everywhere (a word in a thousand documents says little).
          const telling = present.filter((entry) => entry.count < FREQUENCY_CAP);
          if (present.length) levels.push({ any: (telling.length ? telling : present.slice(0, 1)).map((entry) => entry.position) });
          for (const match of levels) {
            const relaxed = await run({ match, similar: [] }, true);
            if (relaxed.total > result.total) [how, result] = [{ match, similar: [] }, relaxed];
            if (result.total >= RELAX_BELOW) break;
          }
        }
        // Still nothing: read the tokens and the phrase as typos of whole skill labels ("Holzbearbeitng") and try once more.
        const correctable = tokens.filter((token) => !token.symbolic).map((token) => token.key);
        if (result.total === 0 && correctable.length) {
          const similar = await queries.similarSkillsForKeys(
            sql,
            phrase ? [...correctable, phrase] : correctable,
            TYPO_SIMILARITY,
            TYPO_SKILLS_PER_WORD,
          );
          if (similar.length) {
            how = { match: "all", similar };
            result = await run(how, true);
          }
        }
        if (result.total >= BROAD_RESULTS) rememberCounts(countsKey, { total: result.total, facets: result.facets, how });
        return withCorrection(result);
      };

      let known = knownCounts(countsKey);
      const counting = followingSearchChanges ? countsInFlight.get(countsKey) : undefined;
      if (!known && counting) {
        await counting;
        // a narrow search is not kept (it is counted exactly each time): then this one counts for itself below
        known = knownCounts(countsKey);
      }
      if (known) {
        const page = await run(known.how, false);
        return withCorrection({ total: known.total, hits: page.hits, facets: known.facets });
      }
      if (!followingSearchChanges || countsInFlight.has(countsKey)) return countFully();
      let counted = () => {};
      countsInFlight.set(countsKey, new Promise<void>((resolve) => (counted = resolve)));
      try {
        return await countFully();
      } finally {
        countsInFlight.delete(countsKey);
        counted();
      }
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
