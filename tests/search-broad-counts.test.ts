/**
 * Broad searches (1,000 hits or more) count once a minute; their pages read only the hits. The pages must be
 * exactly the ones a full count would give, and narrow searches stay exact.
 */
import postgres, { type Sql, type TransactionSql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createEmbeddedEngine, followSearchChanges, forgetBroadSearchCounts } from "~/modules/search/engines/embedded/engine.server";
import { reindexSearch } from "~/modules/search/search.server";
import type { PostHit, SearchRequest } from "~/modules/search/types";
import { useTestDatabase } from "./helpers/database";
import { createPerson } from "./helpers/factories";

const database = useTestDatabase();

const POSTS = 1_050;
let authorId = "";
let stopFollowing: (() => Promise<void>) | undefined;

beforeAll(async () => {
  authorId = (await createPerson({ displayName: "Vera Viel", district: "Plagwitz" })).id;
  await db()`
    insert into posts (author_id, kind, title, description, category, district, is_remote, exchange_mode, expires_at, created_at)
    select ${authorId}, case when n % 2 = 0 then 'offer' else 'need' end, 'Lastenrad Nummer ' || n, 'Ein Rad zum Teilen.',
           'equipment', 'Plagwitz', false, 'volunteer', now() + interval '30 days', now() - make_interval(mins => n)
    from generate_series(1, ${POSTS}) n`;
  await reindexSearch();
  stopFollowing = await followSearchChanges(db());
});

afterAll(async () => {
  await stopFollowing?.();
});

/** The client (and its transactions), noting the text of every statement it is asked to run. */
function recording<S extends Sql | TransactionSql>(sql: S, statements: string[]): S {
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const [strings] = args;
      if (Array.isArray(strings) && "raw" in strings) statements.push(strings.join("?"));
      return Reflect.apply(target as unknown as (...rest: unknown[]) => unknown, thisArg, args) as unknown;
    },
    get(target, key) {
      if (key === "begin" && key in target) {
        return (fn: (tx: TransactionSql) => unknown) => (target as Sql).begin((tx) => fn(recording(tx, statements)));
      }
      return Reflect.get(target, key, target) as unknown;
    },
  });
}

const request = (query: string, page: number, sort: "relevance" | "newest" = "relevance"): SearchRequest<"posts"> => ({
  index: "posts",
  query,
  filters: {},
  sort,
  page,
  perPage: 20,
  facets: true,
});

describe("counts of broad searches", () => {
  it("gives the same pages from remembered counts as from a full count", async () => {
    const engine = createEmbeddedEngine(db());
    for (const [query, sort] of [
      ["", "relevance"],
      ["lastenrad", "relevance"],
      ["lastenrad", "newest"],
    ] as const) {
      forgetBroadSearchCounts();
      const counted = [];
      // each page counted in full (the memory is emptied before each)
      for (const page of [1, 2, 7]) {
        forgetBroadSearchCounts();
        counted.push(await engine.search(request(query, page, sort)));
      }
      // page 1 remembers the counts; pages 2 and 7 then read only their hits
      await engine.search(request(query, 1, sort));
      const remembered = [await engine.search(request(query, 2, sort)), await engine.search(request(query, 7, sort))];
      expect(counted[0]!.total).toBe(POSTS);
      expect(remembered.map((result) => result.total)).toEqual([POSTS, POSTS]);
      expect(remembered.map((result) => (result.hits as PostHit[]).map((hit) => hit.id))).toEqual(
        counted.slice(1).map((result) => (result.hits as PostHit[]).map((hit) => hit.id)),
      );
      expect(remembered[0]!.facets.kind).toEqual(counted[0]!.facets.kind);
      expect((remembered[1]!.hits as PostHit[])[0]!.title).toMatch(/^Lastenrad Nummer \d+$/);
    }
  });

  it("counts a broad search once when several visitors ask for it at the same time", async () => {
    forgetBroadSearchCounts();
    const statements: string[] = [];
    const engine = createEmbeddedEngine(recording(db(), statements));
    const pages = [1, 2, 7, 1];
    const results = await Promise.all(pages.map((page) => engine.search(request("lastenrad", page))));
    // one statement counted every match; the others waited for it and read only their page
    expect(statements.filter((text) => text.includes("with matched as materialized"))).toHaveLength(1);
    expect(results.map((result) => result.total)).toEqual(pages.map(() => POSTS));
    forgetBroadSearchCounts();
    const alone = await createEmbeddedEngine(db()).search(request("lastenrad", 2));
    expect((results[1]!.hits as PostHit[]).map((hit) => hit.id)).toEqual((alone.hits as PostHit[]).map((hit) => hit.id));
    expect(results[1]!.facets).toEqual(alone.facets);
    expect(results[3]!.hits).toEqual(results[0]!.hits);
  });

  it("keeps a broad total until any connection writes to the search tables, and counts a narrow search exactly", async () => {
    forgetBroadSearchCounts();
    const engine = createEmbeddedEngine(db());
    expect((await engine.search(request("", 1))).total).toBe(POSTS);
    // A change the trigger does not announce (replica role skips triggers): the kept total stays, narrow counts see it.
    const [hidden] = await db().begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      return tx`delete from search_posts where id = (select max(id) from search_posts) returning id`;
    });
    expect(hidden).toBeDefined();
    expect((await engine.search(request("", 1))).total).toBe(POSTS);
    expect((await engine.search(request("lastenrad", 1))).total).toBe(POSTS - 1);

    // Another instance (its own connection) indexes a new post: every listener forgets, the next count is exact.
    const otherInstance = postgres(database.database.url, { max: 1, onnotice: () => {} });
    const heard = new Promise<void>((resolve) => void db().listen("search_changed", () => resolve()));
    try {
      await otherInstance`update search_posts set title = title where id = (select min(id) from search_posts)`;
      await heard;
      expect((await engine.search(request("", 1))).total).toBe(POSTS - 1);
    } finally {
      await otherInstance.end();
    }
  });

  it("keeps nothing in a process that does not follow the changes", async () => {
    await stopFollowing?.();
    stopFollowing = undefined;
    const engine = createEmbeddedEngine(db());
    const before = (await engine.search(request("", 1))).total;
    await db().begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`delete from search_posts where id = (select max(id) from search_posts)`;
    });
    expect((await engine.search(request("", 1))).total).toBe(before - 1);
  });
});
