import { Meilisearch, type EnqueuedTaskPromise, type Settings } from "meilisearch";
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
} from "./types";

export type MeilisearchConfig = {
  host: string;
  apiKey?: string;
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

/** Settings declared in code; applied at start-up and on every reindex. */
export function meilisearchSettings(index: SearchIndexName, settings: SearchSettings): Settings {
  const common: Settings = {
    sortableAttributes: ["created_at_ts"],
    rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness"],
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
  if (excludeUserIds.length) expressions.push(`${index === "posts" ? "author_id" : "id"} NOT IN [${excludeUserIds.map(filterValue).join(", ")}]`);
  return expressions;
}

export class MeilisearchTaskError extends Error {}

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

export function createMeilisearchEngine(config: MeilisearchConfig): SearchEngine & { client: Meilisearch; indexUid: (index: SearchIndexName) => string } {
  const client = new Meilisearch({ host: config.host, apiKey: config.apiKey, timeout: config.timeoutMs ?? 3000 });
  const taskTimeout = config.taskTimeoutMs ?? 60_000;
  const indexUid = (index: SearchIndexName) => `${config.indexPrefix}${index}`;

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

  return {
    name: "meilisearch",
    client,
    indexUid,

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
      const response = await client.index(indexUid(request.index)).search(request.query || null, {
        filter: meilisearchFilter(request.index, request.filters, request.excludeUserIds ?? [], Date.now() / 1000),
        facets: request.facets === false ? undefined : Object.values(FACET_ATTRIBUTES[request.index]),
        sort: newest ? ["created_at_ts:desc"] : undefined,
        page: request.page,
        hitsPerPage: request.perPage,
        matchingStrategy: "all",
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
      for (const index of ["posts", "people"] as const) {
        await ensureIndex(indexUid(index));
        await finished(client.index(indexUid(index)).updateSettings(meilisearchSettings(index, settings)), `settings of ${indexUid(index)}`);
      }
    },

    /** Builds a fresh index beside the live one and swaps them in one step, so searches never see it half-built. */
    async reindex<I extends SearchIndexName>(index: I, batches: AsyncIterable<DocumentOf<I>[]>, settings: SearchSettings) {
      const live = indexUid(index);
      const fresh = `${live}_reindex_${Date.now()}`;
      await ensureIndex(live);
      await ensureIndex(fresh);
      try {
        await finished(client.index(fresh).updateSettings(meilisearchSettings(index, settings)), `settings of ${fresh}`);
        for await (const documents of batches) {
          if (documents.length) await finished(client.index(fresh).addDocuments(documents, { primaryKey: "id" }), `add documents to ${fresh}`);
        }
        await finished(client.swapIndexes([{ indexes: [live, fresh], rename: false }]), `swap ${live} and ${fresh}`);
      } finally {
        // After the swap `fresh` holds the old documents; on failure it holds a partial copy. Either way it goes.
        await client.deleteIndex(fresh).waitTask({ timeout: taskTimeout }).catch(() => undefined);
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
