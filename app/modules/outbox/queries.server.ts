import type { Db } from "~/lib/db.server";

/** search: the embedded index (SQL, applied in the events' transaction); search_meili: Meilisearch, fed by search. */
export type OutboxTopic = "search" | "search_meili" | "match";
export type OutboxEntity = "post" | "person" | "skill";
export type OutboxEvent = { id: string; entity: OutboxEntity; entity_id: string; attempts: number };

export async function insertOutboxEvents(sql: Db, topics: OutboxTopic[], entity: OutboxEntity, entityIds: string[]) {
  if (entityIds.length === 0) return;
  const rows = topics.flatMap((topic) => entityIds.map((entityId) => ({ topic, entity, entity_id: entityId })));
  await sql`insert into outbox_events ${sql(rows, "topic", "entity", "entity_id")}`;
}

/**
 * Locks the oldest events of a topic (skipping ones another runner holds). Later events for an entity that
 * is in this batch are included too, so a batch always reflects the newest state of what it touches.
 */
export async function lockOutboxBatch(sql: Db, topic: OutboxTopic, limit: number) {
  return sql<OutboxEvent[]>`
    select id, entity, entity_id, attempts from outbox_events
    where topic = ${topic} and available_at <= now()
    order by id
    limit ${limit}
    for update skip locked`;
}

/**
 * Claims the oldest events of a topic for `leaseSeconds` and commits at once, so the work on them (a network call)
 * runs outside any transaction. Claimed events are invisible to other runners until the lease ends; a runner that
 * crashes leaves them to be claimed again then.
 */
export async function claimOutboxBatch(sql: Db, topic: OutboxTopic, limit: number, leaseSeconds: number) {
  return sql<OutboxEvent[]>`
    update outbox_events set available_at = now() + make_interval(secs => ${leaseSeconds})
    where id in (
      select id from outbox_events
      where topic = ${topic} and available_at <= now()
      order by id
      limit ${limit}
      for update skip locked)
    returning id, entity, entity_id, attempts`;
}

export async function deleteOutboxEvents(sql: Db, ids: string[]) {
  if (ids.length === 0) return;
  await sql`delete from outbox_events where id = any(${ids})`;
}

export async function postponeOutboxEvents(sql: Db, ids: string[], delaySeconds: number, error: string) {
  if (ids.length === 0) return;
  await sql`
    update outbox_events set attempts = attempts + 1, last_error = ${error},
           available_at = now() + make_interval(secs => ${delaySeconds})
    where id = any(${ids})`;
}

export async function outboxBacklog(sql: Db) {
  return sql<{ topic: string; pending: number; oldest: Date | null; failing: number }[]>`
    select topic, count(*)::int as pending, min(created_at) as oldest, count(*) filter (where attempts > 0)::int as failing
    from outbox_events group by topic`;
}

/** Removes a topic's waiting events for these entities, skipping any a worker holds right now (it finishes them). */
export async function deleteWaitingEventsOf(sql: Db, topic: OutboxTopic, entity: OutboxEntity, entityIds: string[]) {
  if (entityIds.length === 0) return;
  await sql`
    delete from outbox_events where id in (
      select id from outbox_events
      where topic = ${topic} and entity = ${entity} and entity_id = any(${entityIds})
      for update skip locked)`;
}

export async function hasWaitingEvent(sql: Db, topic: OutboxTopic, entity: OutboxEntity, entityId: string) {
  const rows = await sql`select 1 from outbox_events where topic = ${topic} and entity = ${entity} and entity_id = ${entityId} limit 1`;
  return rows.length > 0;
}
