-- Meilisearch gets its own outbox queue, fed by the embedded index's worker in the same transaction, so a
-- Meilisearch that is down or slow never holds up the embedded index (and no transaction waits on the network).
alter table outbox_events drop constraint outbox_events_topic_check;
alter table outbox_events add constraint outbox_events_topic_check check (topic in ('search', 'search_meili', 'match'));
