import { db, type Db } from "~/lib/db.server";
import * as queries from "./queries.server";
import { isId } from "~/lib/ids";

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
      await queries.deleteOutboxEvents(
        tx,
        events.map((event) => event.id),
      );
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

/** Hands events on to another topic in the same transaction (the embedded search index feeds Meilisearch's queue). */
export async function forwardOutboxEvents(tx: Db, topic: queries.OutboxTopic, events: queries.OutboxEvent[]) {
  for (const entity of ["post", "person", "skill"] as const) {
    const ids = events.filter((event) => event.entity === entity).map((event) => event.entity_id);
    await queries.insertOutboxEvents(tx, [topic], entity, ids);
  }
}

/**
 * Applies a topic's events whose work is a call to another service: claimed and committed first, then `apply`
 * runs outside any database transaction, then the events are deleted — or postponed with backoff on failure.
 */
export async function processOutboxOutsideTransaction(
  topic: queries.OutboxTopic,
  apply: (events: queries.OutboxEvent[]) => Promise<void>,
  options: { limit?: number; leaseSeconds?: number } = {},
): Promise<number> {
  const events = await queries.claimOutboxBatch(db(), topic, options.limit ?? 200, options.leaseSeconds ?? 120);
  if (events.length === 0) return 0;
  try {
    await apply(events);
  } catch (error) {
    const attempts = Math.max(...events.map((event) => event.attempts));
    const delay = Math.min(300, 2 ** (attempts + 1));
    const message = error instanceof Error ? error.message : String(error);
    await queries.postponeOutboxEvents(
      db(),
      events.map((event) => event.id),
      delay,
      message,
    );
    throw new Error(`${topic} outbox: ${message} (retry in ${delay}s)`);
  }
  await queries.deleteOutboxEvents(
    db(),
    events.map((event) => event.id),
  );
  return events.length;
}

export const outboxBacklog = () => queries.outboxBacklog(db());

/** Marks work a request did itself (inside its transaction): the worker need not repeat it. */
export const completeWaitingEvents = (sql: Db, topic: queries.OutboxTopic, entity: queries.OutboxEntity, ids: string[]) =>
  queries.deleteWaitingEventsOf(sql, topic, entity, ids);

/** True while a worker still has to apply a change to this entity (e.g. its matches are being computed). */
export const isWaiting = (topic: queries.OutboxTopic, entity: queries.OutboxEntity, id: string) =>
  isId(id) ? queries.hasWaitingEvent(db(), topic, entity, id) : Promise.resolve(false);
