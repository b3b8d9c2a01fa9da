import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { createEmbeddedEngine } from "./embedded/engine.server";
import { createMeilisearchEngine, type MeilisearchEngine } from "./meilisearch/engine.server";
import { cleanQuery } from "../query";
import type { SearchIndexName, SearchRequest, SearchResult } from "../types";

/*
 * Which engine answers: Meilisearch when MEILI_HOST is set, with the embedded engine answering while Meilisearch
 * fails; the embedded engine otherwise. The failover state lives here, per process.
 */

/** After Meilisearch failed, searches go to the embedded engine for this long before trying it again. */
const MEILISEARCH_RETRY_AFTER_MS = 15_000;

let meilisearch: { key: string; engine: MeilisearchEngine; downUntil: number; settingsApplied: boolean } | undefined;

/** The Meilisearch engine when MEILI_HOST is set (read at call time, so tests can switch). */
export function configuredMeilisearch() {
  const config = env();
  if (!config.MEILI_HOST) return undefined;
  const key = [
    config.MEILI_HOST,
    config.MEILI_API_KEY ?? "",
    config.MEILI_SEARCH_API_KEY ?? "",
    config.MEILI_INDEX_PREFIX,
    config.MEILI_TIMEOUT_MS,
  ].join("|");
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
      console.error(
        `[search] Meilisearch failed, answering from the embedded engine: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { ...(await createEmbeddedEngine(db()).search(safe)), engine: "embedded", degraded: Boolean(meili) };
}

/** For /healthz: which engine answers searches and whether it is reachable. */
export async function searchHealth() {
  const meili = configuredMeilisearch();
  if (!meili) return { engine: "embedded" as const, ok: true, degraded: false };
  const health = await meili.engine.health();
  if (health.ok) meili.downUntil = 0;
  return { engine: "meilisearch" as const, ok: health.ok, degraded: !health.ok, ...(health.error ? { error: health.error } : {}) };
}
