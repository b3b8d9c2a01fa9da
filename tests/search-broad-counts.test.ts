/**
 * Broad searches (1,000 hits or more) count once a minute; their pages read only the hits. The pages must be
 * exactly the ones a full count would give, and narrow searches stay exact.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createEmbeddedEngine, forgetBroadSearchCounts } from "~/modules/search/embedded-engine.server";
import { reindexSearch } from "~/modules/search/search.server";
import type { PostHit, SearchRequest } from "~/modules/search/types";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";

useTestDatabase();

const POSTS = 1_050;
let authorId = "";

beforeAll(async () => {
  authorId = (await createPerson({ displayName: "Vera Viel", district: "Plagwitz" })).id;
  await db()`
    insert into posts (author_id, kind, title, description, category, district, is_remote, exchange_mode, expires_at, created_at)
    select ${authorId}, case when n % 2 = 0 then 'offer' else 'need' end, 'Lastenrad Nummer ' || n, 'Ein Rad zum Teilen.',
           'equipment', 'Plagwitz', false, 'volunteer', now() + interval '30 days', now() - make_interval(mins => n)
    from generate_series(1, ${POSTS}) n`;
  await reindexSearch();
});

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
    for (const [query, sort] of [["", "relevance"], ["lastenrad", "relevance"], ["lastenrad", "newest"]] as const) {
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
      expect(counted[0].total).toBe(POSTS);
      expect(remembered.map((result) => result.total)).toEqual([POSTS, POSTS]);
      expect(remembered.map((result) => (result.hits as PostHit[]).map((hit) => hit.id))).toEqual(
        counted.slice(1).map((result) => (result.hits as PostHit[]).map((hit) => hit.id)),
      );
      expect(remembered[0].facets.kind).toEqual(counted[0].facets.kind);
      expect((remembered[1].hits as PostHit[])[0].title).toMatch(/^Lastenrad Nummer \d+$/);
    }
  });

  it("keeps a broad total for a while, and counts a narrow search exactly every time", async () => {
    forgetBroadSearchCounts();
    const engine = createEmbeddedEngine(db());
    expect((await engine.search(request("", 1))).total).toBe(POSTS);
    await createTestPost(authorId, { title: "Zinkwanne zu verschenken", skills: "Holzbau" });
    await reindexSearch();
    // the broad listing still shows the remembered count; a narrow search sees the new post at once
    expect((await engine.search(request("", 1))).total).toBe(POSTS);
    expect((await engine.search(request("zinkwanne", 1))).total).toBe(1);
    forgetBroadSearchCounts();
    expect((await engine.search(request("", 1))).total).toBe(POSTS + 1);
  });
});
