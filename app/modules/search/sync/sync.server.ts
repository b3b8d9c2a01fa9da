import { db, type Db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { forwardOutboxEvents, processOutbox, processOutboxOutsideTransaction, type OutboxEvent } from "~/modules/outbox/outbox.server";
import { configuredMeilisearch } from "../engines/configured.server";
import { createEmbeddedEngine } from "../engines/embedded/engine.server";
import { SWAP_RENAME_SINCE, versionAtLeast } from "../engines/meilisearch/engine.server";
import type { DocumentOf, SearchEngine, SearchIndexName, SearchSettings } from "../types";
import { buildPersonDocuments, buildPostDocuments, buildSynonyms } from "./documents.server";
import * as queries from "./queries.server";

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
    const ids =
      index === "posts" ? await queries.postIdsAfter(sql, after, REINDEX_BATCH) : await queries.personIdsAfter(sql, after, REINDEX_BATCH);
    const last = ids[ids.length - 1];
    if (last === undefined) return;
    after = last;
    const built = index === "posts" ? await buildPostDocuments(sql, ids) : await buildPersonDocuments(sql, ids);
    onBatch(ids.length);
    yield built.documents as DocumentOf<I>[];
  }
}

async function reindexEngine(
  sql: Db,
  engine: SearchEngine,
  totals: Record<SearchIndexName, number>,
  settings: SearchSettings,
  options: ReindexOptions,
) {
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
      console.error(
        `[search] changes made during the reindex are queued for Meilisearch: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return counts;
}
