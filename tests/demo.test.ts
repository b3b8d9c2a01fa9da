/**
 * The demo city (issue 18): about 60 people and 200 posts that read as written by different people, spread over
 * eight weeks, with mutual matches and fulfilled needs; everything marked and removable.
 */
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { clearDemo, seedDemo } from "~/modules/demo/demo.server";
import { processMatchOutbox } from "~/modules/matching/matching.server";
import { DEMO_PEOPLE, DEMO_POSTS } from "../db/seed/demo-content";
import { useTestDatabase } from "./helpers/database";

useTestDatabase();

describe("the demo city", () => {
  it("is written once per post: distinct titles and descriptions, every pinned author exists", () => {
    expect(DEMO_POSTS).toHaveLength(200);
    expect(new Set(DEMO_POSTS.map((post) => post.title)).size).toBe(200);
    expect(new Set(DEMO_POSTS.map((post) => post.description)).size).toBe(200);
    const names = new Set(DEMO_PEOPLE.map((person) => person.name));
    expect(DEMO_PEOPLE.length).toBeGreaterThanOrEqual(55);
    expect(DEMO_POSTS.filter((post) => post.author && !names.has(post.author))).toEqual([]);
  });

  it("seeds people and posts over eight weeks, with mutual matches and fulfilled needs, and is removed again", async () => {
    const seeded = await seedDemo();
    expect(seeded).toEqual({ people: DEMO_PEOPLE.length, posts: 200 });
    while ((await processMatchOutbox()) > 0);

    const [posts] = await db()<{ count: number; titles: number; oldest: number; newest: number; weeks: number; fulfilled: number }[]>`
      select count(*)::int as count, count(distinct title)::int as titles,
             max(extract(epoch from now() - created_at) / 86400)::int as oldest,
             min(extract(epoch from now() - created_at) / 86400)::int as newest,
             count(distinct floor(extract(epoch from now() - created_at) / (7 * 86400)))::int as weeks,
             count(*) filter (where status = 'fulfilled')::int as fulfilled
      from posts where is_demo`;
    expect(posts).toMatchObject({ count: 200, titles: 200, newest: 0, weeks: 8 });
    expect(posts!.oldest).toBeLessThan(56);
    expect(posts!.fulfilled).toBeGreaterThanOrEqual(3);
    // Every skill the demo names is a known one: the demo makes no skills of its own.
    expect(await db()<{ label_de: string }[]>`select label_de from skills where source = 'user' order by 1`).toEqual([]);
    const [mutual] = await db()<{ count: number }[]>`
      select count(*)::int as count from matches where mutual and need_post_id is not null and offer_post_id is not null`;
    expect(mutual!.count).toBeGreaterThanOrEqual(5);

    const cleared = await clearDemo();
    expect(cleared).toEqual({ people: DEMO_PEOPLE.length, posts: 200 });
    expect(await db()`select 1 from posts where is_demo`).toHaveLength(0);
    expect(await db()`select 1 from users where is_demo`).toHaveLength(0);
  });
});
