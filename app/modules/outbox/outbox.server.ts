import { db, type Db } from "~/lib/db.server";
import * as queries from "./queries.server";

export type { OutboxEntity, OutboxEvent, OutboxTopic } from "./queries.server";

/** Records that posts, people or skills changed, for the search index and the matches. Call inside the change's transaction. */
export async function enqueueChange(sql: Db, entity: queries.OutboxEntity, ids: string[]) {
  await queries.insertOutboxEvents(sql, ["search", "match"], entity, ids);
}

/**
 * Applies a topic's events in order. `apply` runs inside the transaction that holds the events (and uses that
 * transaction, so its writes commit together with the events' removal); a crash leaves them in the table for
 * the next run; a failure postpones them with backoff.
 */
export async function processOutbox(
  topic: queries.OutboxTopic,
  apply: (events: queries.OutboxEvent[], tx: Db) => Promise<void>,
  options: { limit?: number } = {},
): Promise<number> {
  let handled = 0;
  let failure: { ids: string[]; attempts: number; error: string } | undefined;
  await db().begin(async (tx) => {
    const events = await queries.lockOutboxBatch(tx, topic, options.limit ?? 200);
    if (events.length === 0) return;
    try {
      await apply(events, tx);
      await queries.deleteOutboxEvents(tx, events.map((event) => event.id));
      handled = events.length;
    } catch (error) {
      failure = {
        ids: events.map((event) => event.id),
        attempts: Math.max(...events.map((event) => event.attempts)),
        error: error instanceof Error ? error.message : String(error),
      };
    }
  });
  if (failure) {
    const delay = Math.min(300, 2 ** (failure.attempts + 1));
    await queries.postponeOutboxEvents(db(), failure.ids, delay, failure.error);
    throw new Error(`${topic} outbox: ${failure.error} (retry in ${delay}s)`);
  }
  return handled;
}

export const outboxBacklog = () => queries.outboxBacklog(db());
