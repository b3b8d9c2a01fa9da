/**
 * The search module's public face. Inside it:
 *   engines/   the two engines behind one interface (embedded PostgreSQL, Meilisearch) and which one answers
 *   sync/      keeping both indexes true: document sources, outbox apply, reindex
 *   page/      the search page's view data and suggestions
 *   query.ts   request parameters; types.ts the shared shapes
 */
export type { SearchParams } from "./query";
export { configuredEngineName, runSearch, searchHealth, type SearchOutcome } from "./engines/configured.server";
export {
  applyMeilisearchChanges,
  applySearchChanges,
  reindexSearch,
  ReindexRunningError,
  runMeilisearchWorkerOnce,
  runSearchWorkerOnce,
  type ReindexProgress,
} from "./sync/sync.server";
export * from "./page/page.server";
