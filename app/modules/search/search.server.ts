import { db, type Db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import type { Locale } from "~/lib/i18n";
import { forwardOutboxEvents, processOutbox, processOutboxOutsideTransaction, type OutboxEvent } from "~/modules/outbox/outbox.server";
import { skillLabel, suggestSkills } from "~/modules/skills/skills.server";
import { buildPersonDocuments, buildPostDocuments, buildSynonyms } from "./documents.server";
import { createEmbeddedEngine } from "./embedded-engine.server";
import { highlight, snippet, type Segment } from "./highlight";
import { createMeilisearchEngine, SWAP_RENAME_SINCE, versionAtLeast, type MeilisearchEngine } from "./meilisearch-engine.server";
import * as queries from "./queries.server";
import { cleanQuery, queryTokens, type SearchParams } from "./query";
import {
  PERSON_FACETS,
  POST_FACETS,
  type DocumentOf,
  type FacetName,
  type PersonHit,
  type PostHit,
  type SearchEngine,
  type SearchIndexName,
  type SearchRequest,
  type SearchResult,
  type SearchSettings,
} from "./types";

export type { SearchParams } from "./query";

/** After Meilisearch failed, searches go to the embedded engine for this long before trying it again. */
const MEILISEARCH_RETRY_AFTER_MS = 15_000;

let meilisearch: { key: string; engine: MeilisearchEngine; downUntil: number; settingsApplied: boolean } | undefined;

/** The Meilisearch engine when MEILI_HOST is set (read at call time, so tests can switch). */
function configuredMeilisearch() {
  const config = env();
  if (!config.MEILI_HOST) return undefined;
  const key = [config.MEILI_HOST, config.MEILI_API_KEY ?? "", config.MEILI_SEARCH_API_KEY ?? "", config.MEILI_INDEX_PREFIX, config.MEILI_TIMEOUT_MS].join("|");
  if (meilisearch?.key !== key) {
    meilisearch = {
      key,
      engine: createMeilisearchEngine({
        host: config.MEILI_HOST,
        apiKey: config.MEILI_API_KEY,
        searchApiKey: config.MEILI_SEARCH_API_KEY,
        indexPrefix: config.MEILI_INDEX_PREFIX,
        timeoutMs: config.MEILI_TIMEOUT_MS,
      }),
      downUntil: 0,
      settingsApplied: false,
    };
  }
  return meilisearch;
}

export function configuredEngineName(): "meilisearch" | "embedded" {
  return env().MEILI_HOST ? "meilisearch" : "embedded";
}

export type SearchOutcome<I extends SearchIndexName> = SearchResult<I> & {
  engine: "embedded" | "meilisearch";
  /** Meilisearch is configured but did not answer: the embedded engine did. */
  degraded: boolean;
};

/** Searches with the configured engine; when Meilisearch fails, the embedded engine answers and says so. */
export async function runSearch<I extends SearchIndexName>(request: SearchRequest<I>): Promise<SearchOutcome<I>> {
  const safe: SearchRequest<I> = { ...request, query: cleanQuery(request.query) };
  const meili = configuredMeilisearch();
  if (meili && Date.now() >= meili.downUntil) {
    try {
      return { ...(await meili.engine.search(safe)), engine: "meilisearch", degraded: false };
    } catch (error) {
      meili.downUntil = Date.now() + MEILISEARCH_RETRY_AFTER_MS;
      console.error(`[search] Meilisearch failed, answering from the embedded engine: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { ...(await createEmbeddedEngine(db()).search(safe)), engine: "embedded", degraded: Boolean(meili) };
}

// ---------------------------------------------------------------------------------------------------------
// Keeping the index true.

/**
 * The documents a batch of outbox events touches: the posts and people named (a person's posts carry their name
 * and role; a skill's posts and people carry its labels), and what is no longer visible, to remove.
 */
async function documentsForEvents(sql: Db, events: OutboxEvent[]) {
  const postIds = new Set<string>();
  const personIds = new Set<string>();
  const skillIds = new Set<string>();
  for (const event of events) {
    if (event.entity === "post") postIds.add(event.entity_id);
    else if (event.entity === "person") personIds.add(event.entity_id);
    else skillIds.add(event.entity_id);
  }
  if (skillIds.size) {
    const tagged = await queries.idsTaggedWithSkills(sql, [...skillIds]);
    tagged.postIds.forEach((id) => postIds.add(id));
    tagged.userIds.forEach((id) => personIds.add(id));
  }
  for (const id of await queries.postIdsOfAuthors(sql, [...personIds])) postIds.add(id);
  return { posts: await buildPostDocuments(sql, [...postIds]), people: await buildPersonDocuments(sql, [...personIds]) };
}

async function writeDocuments(engine: SearchEngine, documents: Awaited<ReturnType<typeof documentsForEvents>>) {
  await engine.index("posts", documents.posts.documents);
  await engine.remove("posts", documents.posts.removed);
  await engine.index("people", documents.people.documents);
  await engine.remove("people", documents.people.removed);
  // A deleted account's posts are gone from the tables before their ids could be looked up.
  await engine.removePostsOfAuthors(documents.people.removed);
}

/**
 * Applies a batch of 'search' outbox events to the embedded index inside the outbox transaction (plain SQL, no
 * network), and, when Meilisearch is configured, hands the same events on to its own queue in that transaction.
 * Each engine consumes on its own: Meilisearch being down or refusing settings never holds up the embedded index.
 */
export async function applySearchChanges(events: OutboxEvent[], tx: Db) {
  await writeDocuments(createEmbeddedEngine(tx), await documentsForEvents(tx, events));
  if (configuredMeilisearch()) await forwardOutboxEvents(tx, "search_meili", events);
}

export class ReindexRunningError extends Error {}

/**
 * Meilisearch's queue: the server's version and settings once per process (settings sent only when they
 * differ), documents read from the database, then sent with no transaction open (claim → call → done). A
 * failure, settings included, stays on these events (attempts, error).
 */
export async function applyMeilisearchChanges(events: OutboxEvent[]) {
  const meili = configuredMeilisearch();
  if (!meili) return; // no longer configured: nothing to keep in step
  // Claimed just as a reindex began: these would land in the index it is about to replace. They wait for it.
  if (await queries.reindexRunning(db())) throw new ReindexRunningError("a search reindex is running; applied after its swap");
  if (!meili.settingsApplied) {
    const version = await meili.engine.serverVersion();
    await meili.engine.applySettings({ synonyms: await buildSynonyms(db()) });
    meili.settingsApplied = true;
    const swaps = versionAtLeast(version, SWAP_RENAME_SINCE) ? "" : ` (before ${SWAP_RENAME_SINCE}: reindex swaps without \`rename\`)`;
    console.log(`[search] Meilisearch ${version} at ${env().MEILI_HOST}${swaps}`);
  }
  await writeDocuments(meili.engine, await documentsForEvents(db(), events));
}

/** One round of the embedded index's worker. */
export async function runSearchWorkerOnce(): Promise<number> {
  return processOutbox("search", applySearchChanges, { limit: 100 });
}

/** One round of Meilisearch's worker: a claimed batch of its queue. */
export async function runMeilisearchWorkerOnce(): Promise<number> {
  if (!configuredMeilisearch()) return 0;
  // While a reindex builds the new index, changes wait in the queue and are applied after the swap.
  if (await queries.reindexRunning(db())) return 0;
  return processOutboxOutsideTransaction("search_meili", applyMeilisearchChanges, { limit: 100 });
}

export type ReindexProgress = { engine: string; index: SearchIndexName; done: number; total: number };

const REINDEX_BATCH = 500;

async function* documentBatches<I extends SearchIndexName>(
  sql: Db,
  index: I,
  onBatch: (count: number) => void,
): AsyncGenerator<DocumentOf<I>[]> {
  let after = "0";
  for (;;) {
    const ids = index === "posts" ? await queries.postIdsAfter(sql, after, REINDEX_BATCH) : await queries.personIdsAfter(sql, after, REINDEX_BATCH);
    if (ids.length === 0) return;
    after = ids[ids.length - 1];
    const built = index === "posts" ? await buildPostDocuments(sql, ids) : await buildPersonDocuments(sql, ids);
    onBatch(ids.length);
    yield built.documents as DocumentOf<I>[];
  }
}

async function reindexEngine(sql: Db, engine: SearchEngine, totals: Record<SearchIndexName, number>, settings: SearchSettings, options: ReindexOptions) {
  const counts = { posts: 0, people: 0 };
  for (const index of ["posts", "people"] as const) {
    let done = 0;
    options.onProgress?.({ engine: engine.name, index, done, total: totals[index] });
    await engine.reindex(
      index,
      documentBatches(sql, index, (count) => {
        done += count;
        options.onProgress?.({ engine: engine.name, index, done: Math.min(done, totals[index]), total: totals[index] });
      }),
      settings,
    );
    counts[index] = done;
  }
  return counts;
}

type ReindexOptions = { sql?: Db; onProgress?: (progress: ReindexProgress) => void };

/**
 * Rebuilds every engine's posts and people from the database; searches keep answering meanwhile.
 * The embedded tables are upserted and swept (writes meanwhile are newer, so they stay). Meilisearch builds a
 * fresh index that is swapped in: while it is built the reindex holds a PostgreSQL lock, Meilisearch's queue
 * (in every process) waits, and after the swap the queue is applied to the new index — so a change made during
 * the reindex is never left behind in the index that was swapped out.
 */
export async function reindexSearch(options: ReindexOptions = {}) {
  const sql = options.sql ?? db();
  const totals = await queries.countReindexSources(sql);
  const settings = { synonyms: await buildSynonyms(sql) };
  const counts = await reindexEngine(sql, createEmbeddedEngine(sql), totals, settings, options);
  const meili = configuredMeilisearch();
  if (meili) {
    const lock = await queries.holdReindexLock(db());
    if (!lock) throw new ReindexRunningError("Another search reindex is running; try again when it has finished.");
    try {
      await reindexEngine(sql, meili.engine, totals, settings, options);
      meili.settingsApplied = true;
    } finally {
      await lock.release();
    }
    // Catch up now rather than at the workers' next round (and when no server is running). A failure here leaves
    // the changes queued with their error, for the workers to retry; the reindex itself is done.
    try {
      while ((await runMeilisearchWorkerOnce()) > 0);
    } catch (error) {
      console.error(`[search] changes made during the reindex are queued for Meilisearch: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return counts;
}

/** For /healthz: which engine answers searches and whether it is reachable. */
export async function searchHealth() {
  const meili = configuredMeilisearch();
  if (!meili) return { engine: "embedded" as const, ok: true, degraded: false };
  const health = await meili.engine.health();
  if (health.ok) meili.downUntil = 0;
  return { engine: "meilisearch" as const, ok: health.ok, degraded: !health.ok, ...(health.error ? { error: health.error } : {}) };
}

// ---------------------------------------------------------------------------------------------------------
// The search page and its suggestions.

export const RESULTS_PER_PAGE = 20;

export type SkillTagView = { id: string; slug: string; label: Segment[] };
/** relatedTo: found only through a skill related to the one the query names ("verwandt mit Zimmerei"). */
export type PostResultView = Omit<PostHit, "title" | "description" | "skills" | "related_skill_id"> & {
  title: Segment[];
  snippet: Segment[];
  skills: SkillTagView[];
  relatedTo: string | null;
};
export type PersonResultView = Omit<PersonHit, "display_name" | "bio" | "skills" | "related_skill_id"> & {
  relatedTo: string | null;
  name: Segment[];
  snippet: Segment[];
  offered: SkillTagView[];
  sought: SkillTagView[];
};
export type FacetOptionView = { value: string; label: string | null; count: number; selected: boolean };
export type FacetGroupView = { name: FacetName; options: FacetOptionView[] };

export type SearchPageView = {
  total: number;
  pages: number;
  posts: PostResultView[];
  people: PersonResultView[];
  facets: FacetGroupView[];
  degraded: boolean;
  engine: "embedded" | "meilisearch";
  /** "Meintest du: …?": the query with its typos corrected, when the engine corrected some. */
  correctedQuery: string | null;
};

export async function searchPage(params: SearchParams, locale: Locale, options: { excludeUserIds?: string[] } = {}): Promise<SearchPageView> {
  const tokens = queryTokens(params.query);
  const result = await runSearch({
    index: params.tab,
    query: params.query,
    filters: params.filters,
    sort: params.sort,
    page: params.page,
    perPage: RESULTS_PER_PAGE,
    excludeUserIds: options.excludeUserIds,
    facets: true,
  });
  // Corrected words are marked too: they are why the corrected results matched.
  if (result.correctedQuery) tokens.push(...queryTokens(result.correctedQuery).filter((token) => !tokens.some((other) => other.key === token.key)));
  const relatedTo = result.relatedTo ?? {};
  const namedSkill = (hit: { related_skill_id?: string | null }) => (hit.related_skill_id ? relatedTo[hit.related_skill_id] : undefined);
  const skillIds = [
    ...new Set([...(result.facets.skill ?? []).map((entry) => entry.value), ...(params.filters.skill ?? []), ...Object.values(relatedTo)]),
  ];
  const skillNames = new Map((await queries.skillLabelsByIds(db(), skillIds)).map((skill) => [skill.id, skillLabel(skill, locale)]));
  const tag = (skill: { id: string; slug: string; label_de: string; label_en: string }): SkillTagView => ({
    id: skill.id,
    slug: skill.slug,
    label: highlight(skillLabel(skill, locale), tokens),
  });

  const names = params.tab === "posts" ? POST_FACETS : PERSON_FACETS;
  const facets = names.map((name): FacetGroupView => {
    const counts = result.facets[name] ?? [];
    if (name === "remote") {
      const count = counts.find((entry) => entry.value === "true")?.count ?? 0;
      return { name, options: [{ value: "1", label: null, count, selected: Boolean(params.filters.remote) }] };
    }
    const selected = new Set(params.filters[name] ?? []);
    const options: FacetOptionView[] = counts.map((entry) => ({
      value: entry.value,
      label: name === "skill" ? (skillNames.get(entry.value) ?? entry.value) : null,
      count: entry.count,
      selected: selected.has(entry.value),
    }));
    for (const value of selected) {
      if (!options.some((option) => option.value === value)) {
        options.push({ value, label: name === "skill" ? (skillNames.get(value) ?? value) : null, count: 0, selected: true });
      }
    }
    return { name, options };
  });

  const posts =
    params.tab === "posts"
      ? (result.hits as PostHit[]).map(({ title, description, skills, related_skill_id, ...rest }) => ({
          ...rest,
          relatedTo: skillNames.get(namedSkill({ related_skill_id }) ?? "") ?? null,
          title: highlight(title, tokens),
          snippet: snippet(description, tokens),
          skills: skills.map(tag),
        }))
      : [];
  const people =
    params.tab === "people"
      ? (result.hits as PersonHit[]).map(({ display_name, bio, skills, related_skill_id, ...rest }) => ({
          ...rest,
          relatedTo: skillNames.get(namedSkill({ related_skill_id }) ?? "") ?? null,
          name: highlight(display_name, tokens),
          snippet: snippet(bio, tokens),
          offered: skills.filter((skill) => skill.direction === "offer").map(tag),
          sought: skills.filter((skill) => skill.direction === "seek").map(tag),
        }))
      : [];
  return {
    total: result.total,
    pages: Math.max(1, Math.ceil(Math.min(result.total, 100 * RESULTS_PER_PAGE) / RESULTS_PER_PAGE)),
    posts,
    people,
    facets,
    degraded: result.degraded,
    engine: result.engine,
    correctedQuery: result.correctedQuery && result.correctedQuery !== params.query ? result.correctedQuery : null,
  };
}

export type SearchSuggestion = { type: "skill" | "post" | "person"; label: string; href: string };

/** As-you-type suggestions: matching skills (to filter by), then a few matching post titles. */
export async function searchSuggestions(rawQuery: string, locale: Locale, options: { excludeUserIds?: string[] } = {}): Promise<SearchSuggestion[]> {
  const query = cleanQuery(rawQuery).slice(0, 80);
  if (query.length < 2) return [];
  const [skills, posts] = await Promise.all([
    suggestSkills(query, locale, 5),
    runSearch({ index: "posts", query, filters: {}, sort: "relevance", page: 1, perPage: 4, facets: false, excludeUserIds: options.excludeUserIds }),
  ]);
  return [
    ...skills.map((skill): SearchSuggestion => ({ type: "skill", label: skill.label, href: `/search?skill=${skill.id}` })),
    ...(posts.hits as PostHit[]).map((post): SearchSuggestion => ({ type: "post", label: post.title, href: `/posts/${post.id}` })),
  ];
}
