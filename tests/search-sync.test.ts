/** Keeping the index true: outbox events → documents in every engine, retries when an engine is down. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";
import { enqueueChange, processOutbox } from "~/modules/outbox/outbox.server";
import { changePostStatus } from "~/modules/posts/posts.server";
import { saveProfile } from "~/modules/profiles/profiles.server";
import { createEmbeddedEngine } from "~/modules/search/engines/embedded/engine.server";
import { applySearchChanges, reindexSearch, runMeilisearchWorkerOnce, type ReindexProgress } from "~/modules/search/search.server";
import type { PostHit } from "~/modules/search/types";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";
import { startMeilisearchStandIn, type MeilisearchStandIn } from "./stand-ins/meilisearch";

useTestDatabase();

let standIn: MeilisearchStandIn;

beforeAll(async () => {
  standIn = await startMeilisearchStandIn();
});

afterAll(async () => {
  setEnvForTests({ MEILI_HOST: undefined });
  await standIn.close();
});

beforeEach(() => {
  setEnvForTests({ MEILI_HOST: undefined });
  standIn.setTaskOutcome("ok");
  standIn.setUnreachable(false);
});

const useStandIn = () => setEnvForTests({ MEILI_HOST: standIn.url, MEILI_INDEX_PREFIX: "sync_" });

/** The embedded index's queue. */
async function drainEmbedded() {
  let total = 0;
  for (let handled = -1; handled !== 0; total += handled) handled = await processOutbox("search", applySearchChanges);
  return total;
}

/** Meilisearch's own queue (fed by the embedded one). */
async function drainMeilisearch() {
  let total = 0;
  for (let handled = -1; handled !== 0; total += handled) handled = await runMeilisearchWorkerOnce();
  return total;
}

async function drain() {
  const embedded = await drainEmbedded();
  await drainMeilisearch();
  return embedded;
}

async function pendingSearchEvents(topic: "search" | "search_meili" = "search") {
  return db()<{ entity: string; entity_id: string; attempts: number; last_error: string | null }[]>`
    select entity, entity_id, attempts, last_error from outbox_events where topic = ${topic} order by id`;
}

const search = (query: string, index: "posts" | "people" = "posts") =>
  createEmbeddedEngine(db()).search({ index, query, filters: {}, sort: "relevance", page: 1, perPage: 50 });
const foundIds = async (query: string, index: "posts" | "people" = "posts") => (await search(query, index)).hits.map((hit) => hit.id);

describe("search sync", () => {
  it("indexes new posts and people from the outbox, in the same transaction's events", async () => {
    const person = await createPerson({ displayName: "Greta Lehm", skillsOffered: ["Lehmbau"] });
    const postId = await createTestPost(person.id, { title: "Lehmputz für Altbau", skills: "Lehmbau" });
    expect((await pendingSearchEvents()).map((event) => event.entity)).toEqual(["person", "post"]);
    expect(await foundIds("Lehmputz")).toEqual([]);
    expect(await drain()).toBe(2);
    expect(await foundIds("Lehmputz")).toEqual([postId]);
    expect(await foundIds("Lehmbau", "people")).toEqual([person.id]);
    expect(await pendingSearchEvents()).toEqual([]);
  });

  it("keeps Meilisearch's events while it is down or refuses them, and applies them once it is back; the embedded index never waits", async () => {
    useStandIn();
    const person = await createPerson({ displayName: "Hugo Glas" });
    const postId = await createTestPost(person.id, { title: "Glasbläserei sucht Ofen", skills: "Glasbearbeitung" });

    standIn.setUnreachable(true);
    // the embedded index is current at once, and hands the events on to Meilisearch's queue
    expect(await drainEmbedded()).toBe(2);
    expect(await foundIds("Glasbläserei")).toEqual([postId]);
    expect(await pendingSearchEvents("search")).toEqual([]);
    await expect(drainMeilisearch()).rejects.toThrow(/search_meili outbox/);
    let events = await pendingSearchEvents("search_meili");
    expect(events).toHaveLength(2);
    expect(events.every((event) => event.attempts === 1 && event.last_error)).toBe(true);
    expect(standIn.documents.get("sync_posts")?.has(postId) ?? false).toBe(false);

    // while Meilisearch refuses its work, new posts still reach the embedded index
    standIn.setUnreachable(false);
    standIn.setTaskOutcome("fail");
    const later = await createTestPost(person.id, { title: "Glasperlen für Schmuck", skills: "Glasbearbeitung" });
    expect(await drainEmbedded()).toBe(1);
    expect(await foundIds("Glasperlen")).toEqual([later]);
    await db()`update outbox_events set available_at = now() where topic = 'search_meili'`;
    await expect(drainMeilisearch()).rejects.toThrow(/failed/);
    events = await pendingSearchEvents("search_meili");
    expect(events.filter((event) => event.attempts >= 1)).toHaveLength(3);

    standIn.setTaskOutcome("ok");
    await db()`update outbox_events set available_at = now() where topic = 'search_meili'`;
    expect(await drainMeilisearch()).toBe(3);
    expect(await pendingSearchEvents("search_meili")).toEqual([]);
    expect(standIn.documents.get("sync_posts")?.has(postId)).toBe(true);
    expect(standIn.documents.get("sync_posts")?.has(later)).toBe(true);
    expect(standIn.documents.get("sync_people")?.has(person.id)).toBe(true);
  });

  it("sends Meilisearch its documents with no database transaction open", async () => {
    useStandIn();
    const person = await createPerson({ displayName: "Tara Ton" });
    await createTestPost(person.id, { title: "Tonwerkstatt", skills: "Keramik" });
    await drainEmbedded();
    // while the stand-in answers a document request, this process holds no transaction
    const openTransactions: number[] = [];
    standIn.onRequest(async () => {
      const [row] = await db()<{ count: number }[]>`
        select count(*)::int as count from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`;
      openTransactions.push(row!.count);
    });
    try {
      expect(await drainMeilisearch()).toBe(2);
    } finally {
      standIn.onRequest(undefined);
    }
    expect(openTransactions.length).toBeGreaterThan(0);
    expect(openTransactions.every((count) => count === 0)).toBe(true);
  });

  it("removes closed, hidden and expired posts", async () => {
    const person = await createPerson({ displayName: "Ida Stein" });
    const closed = await createTestPost(person.id, { title: "Steinmetz Werkzeug", skills: "Steinmetzarbeiten" });
    const hidden = await createTestPost(person.id, { title: "Steinmetz Kurs", skills: "Steinmetzarbeiten" });
    const expired = await createTestPost(person.id, { title: "Steinmetz Lehrling", skills: "Steinmetzarbeiten" });
    await drain();
    expect(new Set(await foundIds("Steinmetz"))).toEqual(new Set([closed, hidden, expired]));

    expect(await changePostStatus(closed, { id: person.id, isAdmin: false }, "closed")).toBe(true);
    await db().begin(async (tx) => {
      await tx`update posts set hidden_at = now() where id = ${hidden}`;
      await tx`update posts set expires_at = now() - interval '1 minute' where id = ${expired}`;
      await enqueueChange(tx, "post", [hidden, expired]);
    });
    await drain();
    expect(await foundIds("Steinmetz")).toEqual([]);
    expect(await db()`select id from search_posts where id = any(${[closed, hidden, expired]}::bigint[])`).toHaveLength(0);

    await changePostStatus(closed, { id: person.id, isAdmin: false }, "open");
    await drain();
    expect(await foundIds("Steinmetz")).toEqual([closed]);
  });

  it("carries a person's new name into their posts, and removes deleted and banned people with their posts", async () => {
    useStandIn();
    const kept = await createPerson({ displayName: "Jana Filz", skillsOffered: ["Filzen"] });
    const deleted = await createPerson({ displayName: "Kai Filz", skillsOffered: ["Filzen"] });
    const banned = await createPerson({ displayName: "Lou Filz", skillsOffered: ["Filzen"] });
    const keptPost = await createTestPost(kept.id, { title: "Filzwolle abzugeben", skills: "Filzen" });
    const deletedPost = await createTestPost(deleted.id, { title: "Filzkurs", skills: "Filzen" });
    const bannedPost = await createTestPost(banned.id, { title: "Filzhüte", skills: "Filzen" });
    await drain();
    expect(new Set(await foundIds("Filzen", "people"))).toEqual(new Set([kept.id, deleted.id, banned.id]));

    await saveProfile(kept.id, {
      displayName: "Jana Walkerin",
      role: "artist",
      bio: "",
      district: "Connewitz",
      remoteOk: false,
      languages: ["de"],
      website: "",
      skillsOffered: ["Filzen"],
      skillsSought: [],
      digestFrequency: "weekly",
    });
    await db().begin(async (tx) => {
      await tx`update users set banned_at = now() where id = ${banned.id}`;
      await enqueueChange(tx, "person", [banned.id]);
      await enqueueChange(tx, "person", [deleted.id]);
      await tx`delete from users where id = ${deleted.id}`;
    });
    await drain();

    expect(await foundIds("Filzen", "people")).toEqual([kept.id]);
    const posts = (await search("Filz")).hits as PostHit[];
    expect(posts.map((hit) => hit.id)).toEqual([keptPost]);
    expect(posts[0]).toMatchObject({ author_name: "Jana Walkerin", author_role: "artist" });
    for (const id of [deletedPost, bannedPost]) expect(standIn.documents.get("sync_posts")?.has(id)).toBe(false);
    for (const id of [deleted.id, banned.id]) expect(standIn.documents.get("sync_people")?.has(id)).toBe(false);
    expect(standIn.documents.get("sync_posts")?.get(keptPost)).toMatchObject({ author_name: "Jana Walkerin" });
  });

  it("rebuilds everything with progress, without emptying the index first", async () => {
    useStandIn();
    await drain();
    const [{ visible }] = await db()<[{ visible: number }]>`
      select count(*)::int as visible from posts p join users u on u.id = p.author_id
      where p.status = 'open' and p.hidden_at is null and p.expires_at > now() and u.banned_at is null`;
    await db()`update search_posts set title = 'stale' where true`;
    const progress: ReindexProgress[] = [];
    const counts = await reindexSearch({ onProgress: (entry) => progress.push(entry) });
    expect(counts.posts).toBeGreaterThanOrEqual(visible);
    expect(await db()`select 1 from search_posts where title = 'stale'`).toHaveLength(0);
    expect(new Set(progress.map((entry) => `${entry.engine}:${entry.index}`))).toEqual(
      new Set(["embedded:posts", "embedded:people", "meilisearch:posts", "meilisearch:people"]),
    );
    const last = progress.filter((entry) => entry.engine === "embedded" && entry.index === "posts").pop();
    expect(last?.done).toBe(last?.total);
    expect(await db()`select 1 from search_posts`).toHaveLength(visible);
    expect(standIn.documents.get("sync_posts")?.size).toBe(visible);
    expect(standIn.requestsTo("POST", /^\/swap-indexes$/)).toHaveLength(2);
  });

  it("catches up after a reindex with the changes made while it built the new Meilisearch index (point 9)", async () => {
    useStandIn();
    const person = await createPerson({ displayName: "Mira Kupfer" });
    const closing = await createTestPost(person.id, { title: "Kupferkessel zu verleihen", skills: "Metallbearbeitung" });
    const renamed = await createTestPost(person.id, { title: "Kupferdraht Reste", skills: "Metallbearbeitung" });
    await drain();
    expect(standIn.documents.get("sync_posts")?.has(closing)).toBe(true);

    // While the first batch of posts sits in the new index's queue, one post is closed and one retitled, and the
    // workers run (in this process; another instance's would see the same lock).
    let changed = false;
    let appliedMeanwhile = -1;
    standIn.onRequest(async (request) => {
      if (changed || request.method !== "POST" || !/^\/indexes\/sync_posts_reindex_\d+\/documents$/.test(request.path)) return;
      changed = true;
      expect(await changePostStatus(closing, { id: person.id, isAdmin: false }, "closed")).toBe(true);
      await db()`update posts set title = 'Kupferdraht Reste, frisch sortiert' where id = ${renamed}`;
      await db().begin((tx) => enqueueChange(tx, "post", [renamed]));
      await drainEmbedded();
      appliedMeanwhile = await drainMeilisearch();
    });
    try {
      await reindexSearch();
    } finally {
      standIn.onRequest(undefined);
    }
    expect(changed).toBe(true);
    // The queue waited for the swap instead of writing into the index that was swapped out …
    expect(appliedMeanwhile).toBe(0);
    // … and was applied to the new one right after it.
    const live = standIn.documents.get("sync_posts");
    expect(live?.has(closing)).toBe(false);
    expect(live?.get(renamed)).toMatchObject({ title: "Kupferdraht Reste, frisch sortiert" });
    expect(await pendingSearchEvents("search_meili")).toEqual([]);
  });

  it("lets only one reindex run at a time", async () => {
    useStandIn();
    let second: Promise<unknown> | undefined;
    standIn.onRequest(async (request) => {
      if (second || request.path !== "/swap-indexes") return;
      second = reindexSearch().catch((error: unknown) => error);
      await second;
    });
    try {
      await reindexSearch();
    } finally {
      standIn.onRequest(undefined);
    }
    expect(String(await second)).toMatch(/Another search reindex is running/);
  });
});
