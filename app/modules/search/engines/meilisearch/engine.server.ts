import { Meilisearch, MeilisearchApiError, type EnqueuedTaskPromise, type IndexSwap, type Settings } from "meilisearch";
import {
  PERSON_HIT_FIELDS,
  POST_HIT_FIELDS,
  SKILL_FACET_SIZE,
  MAX_PAGE,
  type DocumentOf,
  type FacetCounts,
  type FacetName,
  type HitOf,
  type SearchEngine,
  type SearchFilters,
  type SearchIndexName,
  type SearchRequest,
  type SearchResult,
  type SearchSettings,
} from "../../types";

export type MeilisearchConfig = {
  host: string;
  /** For writes, settings and the version (an admin or master key). */
  apiKey?: string;
  /** For searches only, when set (a key whose only action is `search`); else apiKey. */
  searchApiKey?: string;
  /** Index names are `${prefix}posts` and `${prefix}people`. */
  indexPrefix: string;
  /** Per HTTP request; a search waits at most this long before the embedded engine answers instead. */
  timeoutMs?: number;
  /** How long a write waits for Meilisearch to finish its task. */
  taskTimeoutMs?: number;
};

/** Which document attribute each facet of the page reads. */
export const FACET_ATTRIBUTES: Record<SearchIndexName, Partial<Record<FacetName, string>>> = {
  posts: {
    kind: "kind",
    category: "category",
    role: "author_role",
    borough: "borough",
    district: "district",
    skill: "skill_ids",
    mode: "exchange_mode",
    remote: "is_remote",
  },
  people: { role: "role", borough: "borough", district: "district", skill: "skill_ids", remote: "remote_ok" },
};

/** Oldest Meilisearch the adapter works with: `localizedAttributes` and the search parameter `locales` came in 1.10. */
export const MINIMUM_MEILISEARCH_VERSION = "1.10.0";
/** `swapIndexes` takes a `rename` field from 1.18 on; older servers refuse the field whatever its value. */
export const SWAP_RENAME_SINCE = "1.18.0";
/** Document batches (500 each) a reindex has in Meilisearch's queue at once; it auto-batches consecutive ones. */
export const DOCUMENT_TASKS_IN_FLIGHT = 4;
/** The languages of queries: German first, English second, as the site. */
export const SEARCH_LOCALES = ["deu", "eng"] as const;

/**
 * One ranking for both engines (docs/decisions and README "Search"): with sort "relevance", by relevance —
 * words matched, typos, proximity, attribute (title and skills before description), exactness — and newest
 * first among equals (the custom rule `created_at_ts:desc`); with sort "newest", strictly newest first among
 * the matches (the `sort` rule comes first, so it wins over relevance). The embedded engine orders the same way.
 */
export const RANKING_RULES = ["sort", "words", "typo", "proximity", "attribute", "exactness", "created_at_ts:desc"];

/** "1.12.3" → [1, 12, 3]; anything unreadable counts as 0. */
function versionParts(version: string): number[] {
  return version
    .replace(/^v/, "")
    .split(/[.-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10) || 0);
}

export function versionAtLeast(version: string, wanted: string): boolean {
  const have = versionParts(version);
  const need = versionParts(wanted);
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) > (need[i] ?? 0);
  return true;
}

export class MeilisearchVersionError extends Error {}

/** Settings declared in code; sent when they differ from the index's (see settingsDiffer). */
export function meilisearchSettings(index: SearchIndexName, settings: SearchSettings): Settings {
  const common: Settings = {
    sortableAttributes: ["created_at_ts"],
    rankingRules: RANKING_RULES,
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
    synonyms: settings.synonyms,
    // "C#" and "C++" stay one word.
    nonSeparatorTokens: ["#", "+"],
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "count" } },
    pagination: { maxTotalHits: MAX_PAGE * 50 },
  };
  if (index === "posts") {
    return {
      ...common,
      searchableAttributes: ["title", "skill_labels_de", "skill_labels_en", "skill_alt_labels", "description", "author_name"],
      filterableAttributes: [...Object.values(FACET_ATTRIBUTES.posts), "status", "author_id", "expires_at_ts"],
      localizedAttributes: [
        { attributePatterns: ["skill_labels_de"], locales: ["deu"] },
        { attributePatterns: ["skill_labels_en"], locales: ["eng"] },
        { attributePatterns: ["title", "description", "skill_alt_labels", "author_name"], locales: ["deu", "eng"] },
      ],
    };
  }
  return {
    ...common,
    searchableAttributes: ["display_name", "skill_labels_de", "skill_labels_en", "skill_alt_labels", "bio"],
    filterableAttributes: [...Object.values(FACET_ATTRIBUTES.people), "id"],
    localizedAttributes: [
      { attributePatterns: ["skill_labels_de"], locales: ["deu"] },
      { attributePatterns: ["skill_labels_en"], locales: ["eng"] },
      { attributePatterns: ["display_name", "bio", "skill_alt_labels"], locales: ["deu", "eng"] },
    ],
  };
}

/** A value inside a Meilisearch filter: always a double-quoted string with `\` and `"` escaped. */
export function filterValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const inList = (attribute: string, values: string[]) => `${attribute} IN [${values.map(filterValue).join(", ")}]`;

/** The filter expressions (combined with AND) for the facets chosen, visibility and hidden people. */
export function meilisearchFilter(index: SearchIndexName, filters: SearchFilters, excludeUserIds: string[], nowSeconds: number): string[] {
  const expressions: string[] = [];
  if (index === "posts") expressions.push(`status = ${filterValue("open")}`, `expires_at_ts > ${Math.floor(nowSeconds)}`);
  const attributes = FACET_ATTRIBUTES[index];
  for (const facet of ["kind", "category", "role", "borough", "district", "skill", "mode"] as const) {
    const attribute = attributes[facet];
    const values = filters[facet];
    if (attribute && values && values.length) expressions.push(inList(attribute, values));
  }
  if (filters.remote) expressions.push(`${attributes.remote} = true`);
  if (excludeUserIds.length)
    expressions.push(`${index === "posts" ? "author_id" : "id"} NOT IN [${excludeUserIds.map(filterValue).join(", ")}]`);
  return expressions;
}

export class MeilisearchTaskError extends Error {}

/** Settings Meilisearch keeps as sets and answers in its own order. */
const UNORDERED_SETTINGS = new Set([
  "filterableAttributes",
  "sortableAttributes",
  "nonSeparatorTokens",
  "separatorTokens",
  "stopWords",
  "dictionary",
]);

function sameValue(wanted: unknown, actual: unknown, unordered = false): boolean {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual) || wanted.length !== actual.length) return false;
    if (unordered) {
      const key = (value: unknown) => JSON.stringify(value);
      const have = new Set(actual.map(key));
      return wanted.every((value) => have.has(key(value)));
    }
    return wanted.every((value, i) => sameValue(value, actual[i]));
  }
  if (wanted && typeof wanted === "object") {
    if (!actual || typeof actual !== "object") return false;
    // Only what we declare counts: Meilisearch answers its defaults for the rest (disableOnWords …).
    return Object.entries(wanted).every(([key, value]) => sameValue(value, (actual as Record<string, unknown>)[key]));
  }
  return wanted === actual;
}

/** Which declared settings the index does not have yet ([] → nothing to send). Synonyms compare as sets per word. */
export function settingsDiffer(wanted: Settings, actual: Settings): string[] {
  return Object.entries(wanted)
    .filter(([name, value]) => {
      const current = (actual as Record<string, unknown>)[name];
      if (name === "synonyms") {
        // Compared without case: a server that answers them lowercased has the same synonyms.
        const lower = (synonyms: unknown) =>
          Object.fromEntries(
            Object.entries((synonyms ?? {}) as Record<string, string[]>).map(([word, list]) => [
              word.toLowerCase(),
              list.map((item) => item.toLowerCase()),
            ]),
          );
        const have = lower(current);
        const want = lower(value);
        return (
          Object.keys(want).length !== Object.keys(have).length ||
          Object.entries(want).some(([word, list]) => !sameValue(list, have[word], true))
        );
      }
      return !sameValue(value, current, UNORDERED_SETTINGS.has(name));
    })
    .map(([name]) => name);
}

function facetCounts(index: SearchIndexName, distribution: Record<string, Record<string, number>> | undefined): FacetCounts {
  const counts: FacetCounts = {};
  if (!distribution) return counts;
  for (const [facet, attribute] of Object.entries(FACET_ATTRIBUTES[index]) as [FacetName, string][]) {
    const values = distribution[attribute];
    if (!values) continue;
    const sorted = Object.entries(values)
      .map(([value, count]) => ({ value, count }))
      .filter((entry) => entry.count > 0)
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    counts[facet] = facet === "skill" ? sorted.slice(0, SKILL_FACET_SIZE) : sorted;
  }
  return counts;
}

function pick<T extends Record<string, unknown>>(hit: Record<string, unknown>, fields: readonly string[]): T {
  return Object.fromEntries(fields.map((field) => [field, hit[field] ?? null])) as T;
}

export type MeilisearchEngine = SearchEngine & {
  client: Meilisearch;
  indexUid: (index: SearchIndexName) => string;
  /** The server's version, read once (GET /version); refuses servers older than MINIMUM_MEILISEARCH_VERSION. */
  serverVersion: () => Promise<string>;
};

export function createMeilisearchEngine(config: MeilisearchConfig): MeilisearchEngine {
  const timeout = config.timeoutMs ?? 3000;
  const client = new Meilisearch({ host: config.host, apiKey: config.apiKey, timeout });
  const searchClient = config.searchApiKey ? new Meilisearch({ host: config.host, apiKey: config.searchApiKey, timeout }) : client;
  const taskTimeout = config.taskTimeoutMs ?? 60_000;
  const indexUid = (index: SearchIndexName) => `${config.indexPrefix}${index}`;
  let version: Promise<string> | undefined;

  function serverVersion() {
    version ??= client.getVersion().then(
      ({ pkgVersion }) => {
        if (!versionAtLeast(pkgVersion, MINIMUM_MEILISEARCH_VERSION)) {
          throw new MeilisearchVersionError(
            `Meilisearch ${pkgVersion} at ${config.host} is too old: NextLeipzig needs Meilisearch ${MINIMUM_MEILISEARCH_VERSION} or newer (localizedAttributes, locales).`,
          );
        }
        return pkgVersion;
      },
      (error: unknown) => {
        version = undefined; // unreachable now: ask again next time
        throw error;
      },
    );
    return version;
  }

  /** A write counts only when its task succeeded; a failed task is an error like a refused request. */
  async function finished(task: EnqueuedTaskPromise, what: string) {
    const done = await task.waitTask({ timeout: taskTimeout, interval: 50 });
    if (done.status !== "succeeded") {
      throw new MeilisearchTaskError(`Meilisearch ${what} ${done.status}: ${done.error?.message ?? "no reason given"}`);
    }
    return done;
  }

  async function ensureIndex(uid: string) {
    const task = await client.createIndex(uid, { primaryKey: "id" }).waitTask({ timeout: taskTimeout, interval: 50 });
    if (task.status !== "succeeded" && task.error?.code !== "index_already_exists") {
      throw new MeilisearchTaskError(`Meilisearch create index ${uid} ${task.status}: ${task.error?.message ?? "no reason given"}`);
    }
  }

  /** Sends the settings only when the index's differ from them (one GET on start, no task when equal). */
  async function applyIndexSettings(uid: string, wanted: Settings) {
    // Settings that cannot be read (a refused request) count as different: sending them all is always right.
    const current = await client
      .index(uid)
      .getSettings()
      .catch((error: unknown) => {
        if (error instanceof MeilisearchApiError) return {};
        throw error;
      });
    const differing = settingsDiffer(wanted, current);
    if (differing.length === 0) return false;
    const changed = Object.fromEntries(differing.map((name) => [name, (wanted as Record<string, unknown>)[name]])) as Settings;
    await finished(client.index(uid).updateSettings(changed), `settings (${differing.join(", ")}) of ${uid}`);
    return true;
  }

  return {
    name: "meilisearch",
    client,
    indexUid,
    serverVersion,

    async index(index, documents) {
      if (documents.length === 0) return;
      await finished(client.index(indexUid(index)).addDocuments(documents, { primaryKey: "id" }), `add documents to ${indexUid(index)}`);
    },

    async remove(index, ids) {
      if (ids.length === 0) return;
      await finished(client.index(indexUid(index)).deleteDocuments(ids), `delete documents from ${indexUid(index)}`);
    },

    async removePostsOfAuthors(authorIds) {
      if (authorIds.length === 0) return;
      await finished(
        client.index(indexUid("posts")).deleteDocuments({ filter: `author_id IN [${authorIds.map(filterValue).join(", ")}]` }),
        `delete posts of authors from ${indexUid("posts")}`,
      );
    },

    async search<I extends SearchIndexName>(request: SearchRequest<I>): Promise<SearchResult<I>> {
      const newest = request.sort === "newest" || !request.query;
      const response = await searchClient.index(indexUid(request.index)).search(request.query || null, {
        filter: meilisearchFilter(request.index, request.filters, request.excludeUserIds ?? [], Date.now() / 1000),
        facets: request.facets === false ? undefined : Object.values(FACET_ATTRIBUTES[request.index]),
        sort: newest ? ["created_at_ts:desc"] : undefined,
        page: request.page,
        hitsPerPage: request.perPage,
        // Words are dropped from the end when no document has them all; documents with more words rank first.
        matchingStrategy: "last",
        locales: [...SEARCH_LOCALES],
        attributesToRetrieve: [...(request.index === "posts" ? POST_HIT_FIELDS : PERSON_HIT_FIELDS)],
      });
      const fields = request.index === "posts" ? POST_HIT_FIELDS : PERSON_HIT_FIELDS;
      return {
        total: response.totalHits,
        hits: response.hits.map((hit) => pick<HitOf<I>>(hit, fields)),
        facets: facetCounts(request.index, response.facetDistribution),
      };
    },

    async applySettings(settings) {
      await serverVersion();
      for (const index of ["posts", "people"] as const) {
        await ensureIndex(indexUid(index));
        await applyIndexSettings(indexUid(index), meilisearchSettings(index, settings));
      }
    },

    /**
     * Builds a fresh index beside the live one and swaps them in one step, so searches never see it half-built.
     * Batches go to Meilisearch's queue DOCUMENT_TASKS_IN_FLIGHT at a time (it works on them while the next are
     * read); all must have succeeded before the swap. Writes made meanwhile are the caller's to replay
     * (search.server.ts holds the Meilisearch queue until the swap).
     */
    async reindex<I extends SearchIndexName>(index: I, batches: AsyncIterable<DocumentOf<I>[]>, settings: SearchSettings) {
      const serverAt = await serverVersion();
      const live = indexUid(index);
      const fresh = `${live}_reindex_${Date.now()}`;
      await ensureIndex(live);
      await ensureIndex(fresh);
      const inFlight = new Set<Promise<unknown>>();
      try {
        await finished(client.index(fresh).updateSettings(meilisearchSettings(index, settings)), `settings of ${fresh}`);
        for await (const documents of batches) {
          if (documents.length === 0) continue;
          const task: Promise<unknown> = finished(
            client.index(fresh).addDocuments(documents, { primaryKey: "id" }),
            `add documents to ${fresh}`,
          ).finally(() => inFlight.delete(task));
          task.catch(() => undefined); // awaited below; meanwhile a failure is not an unhandled rejection
          inFlight.add(task);
          // A full queue waits for one task to end; a failed one ends the reindex here.
          if (inFlight.size >= DOCUMENT_TASKS_IN_FLIGHT) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
        // Before 1.18 Meilisearch refuses the field `rename` whatever its value: send it only where it exists.
        const swap = (
          versionAtLeast(serverAt, SWAP_RENAME_SINCE) ? { indexes: [live, fresh], rename: false } : { indexes: [live, fresh] }
        ) as IndexSwap;
        await finished(client.swapIndexes([swap]), `swap ${live} and ${fresh}`);
      } finally {
        await Promise.allSettled(inFlight);
        // After the swap `fresh` holds the old documents; on failure it holds a partial copy. Either way it goes.
        await client
          .deleteIndex(fresh)
          .waitTask({ timeout: taskTimeout })
          .catch(() => undefined);
      }
    },

    async health() {
      try {
        await client.health();
        return { ok: true };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
