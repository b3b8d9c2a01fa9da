/**
 * The behaviour both search engines must show. Runs against the embedded engine always; the Meilisearch
 * adapter against the local stand-in (tests/stand-ins/meilisearch.ts, a 1.12 server: no `rename`), and against a
 * real Meilisearch when MEILI_HOST is set (MEILI_API_KEY optional), in indexes with a throwaway prefix.
 * Behaviour that needs Meilisearch's language processing (stemming, segmentation) is left to the real server.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { processOutbox } from "~/modules/outbox/outbox.server";
import { buildPersonDocuments, buildPostDocuments, buildSynonyms } from "~/modules/search/sync/documents.server";
import { createEmbeddedEngine } from "~/modules/search/engines/embedded/engine.server";
import { withIndexScans } from "~/modules/search/engines/embedded/queries.server";
import { createMeilisearchEngine } from "~/modules/search/engines/meilisearch/engine.server";
import { cleanQuery } from "~/modules/search/query";
import { applySearchChanges } from "~/modules/search/search.server";
import type { PostHit, SearchEngine, SearchFilters, SearchRequest } from "~/modules/search/types";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";
import { startMeilisearchStandIn, type MeilisearchStandIn } from "./stand-ins/meilisearch";

useTestDatabase();

const ids: Record<string, string> = {};
const people: Record<string, string> = {};

beforeAll(async () => {
  people.ada = (
    await createPerson({
      displayName: "Ada Holzmann",
      role: "craftsperson",
      district: "Plagwitz",
      skillsOffered: ["Holzbearbeitung", "Holzbau"],
    })
  ).id;
  people.ben = (
    await createPerson({
      displayName: "Ben Kowalski",
      role: "startup",
      district: "Connewitz",
      remoteOk: true,
      skillsOffered: ["C#", "C++"],
    })
  ).id;
  people.cleo = (
    await createPerson({ displayName: "Cleo Wissen", role: "scientist", district: "Gohlis-Süd", skillsSought: ["3D-Druck"] })
  ).id;

  ids.workshop = await createTestPost(people.ada, {
    title: "Holzwerkstatt mit CNC-Fräse",
    skills: "Holzbearbeitung",
    category: "equipment",
    location: "Plagwitz",
    exchangeMode: "paid",
  });
  ids.roof = await createTestPost(people.ada, {
    title: "Dachstuhl und Carport planen",
    description: "Ich plane Dächer und Carports.",
    skills: "Holzbau",
    category: "knowhow",
    location: "Lindenau",
    exchangeMode: "barter",
  });
  ids.csharp = await createTestPost(people.ben, {
    kind: "need",
    title: "Suche Hilfe beim Backend",
    description: "Unser Backend ist in C# geschrieben.",
    skills: "C#",
    category: "knowhow",
    location: "remote",
    exchangeMode: "volunteer",
  });
  ids.cpp = await createTestPost(people.ben, {
    title: "Firmware für Sensoren",
    description: "Mikrocontroller, Embedded.",
    skills: "C++",
    category: "knowhow",
    location: "Connewitz",
    exchangeMode: "paid",
  });
  ids.openWorkshop = await createTestPost(people.cleo, {
    kind: "need",
    title: "Offene Werkstatt sucht Mitstreiter",
    description: "Drucker und Werkbänke vorhanden.",
    skills: "3D-Druck",
    category: "space",
    location: "Lindenau",
    exchangeMode: "volunteer",
  });
  ids.printing = await createTestPost(people.cleo, {
    title: "Prototypen drucken",
    description: "Schnell und günstig.",
    skills: "3D-Druck",
    category: "equipment",
    location: "Gohlis-Süd",
    exchangeMode: "paid",
  });
  ids.closed = await createTestPost(people.ada, { title: "Holzbearbeitung Kurs (vorbei)", skills: "Holzbearbeitung" });
  await db()`update posts set status = 'closed' where id = ${ids.closed}`;
  ids.hidden = await createTestPost(people.ada, { title: "Holzbearbeitung versteckt", skills: "Holzbearbeitung" });
  await db()`update posts set hidden_at = now() where id = ${ids.hidden}`;
  // Sequential creation times, so "newest" has one right answer.
  for (const [offset, key] of ["workshop", "roof", "csharp", "cpp", "openWorkshop", "printing"].entries()) {
    await db()`update posts set created_at = now() - make_interval(hours => ${10 - offset}) where id = ${ids[key]!}`;
  }
  while ((await processOutbox("search", applySearchChanges)) > 0);
});

type EngineUnderTest = { name: string; engine: () => SearchEngine; cleanup?: () => Promise<void>; standIn?: boolean };

const engines: EngineUnderTest[] = [{ name: "embedded", engine: () => createEmbeddedEngine(db()) }];

/** Fills a Meilisearch (stand-in or real) with the settings and every document of the test database. */
async function fillMeilisearch(meili: ReturnType<typeof createMeilisearchEngine>) {
  await meili.applySettings({ synonyms: await buildSynonyms(db()) });
  const postIds = (await db()<{ id: string }[]>`select id from posts`).map((row) => row.id);
  const personIds = (await db()<{ id: string }[]>`select user_id as id from profiles`).map((row) => row.id);
  await meili.index("posts", (await buildPostDocuments(db(), postIds)).documents);
  await meili.index("people", (await buildPersonDocuments(db(), personIds)).documents);
}

let standIn: MeilisearchStandIn | undefined;
let standInEngine: ReturnType<typeof createMeilisearchEngine> | undefined;
engines.push({
  name: "meilisearch stand-in (1.12)",
  standIn: true,
  engine: () => {
    if (!standInEngine) throw new Error("stand-in not started");
    return standInEngine;
  },
  cleanup: async () => {
    await standIn?.close();
  },
});
beforeAll(async () => {
  standIn = await startMeilisearchStandIn({ version: "1.12.0", taskDelayMs: 1 });
  standInEngine = createMeilisearchEngine({ host: standIn.url, indexPrefix: "engine_", timeoutMs: 10_000, taskTimeoutMs: 10_000 });
  await fillMeilisearch(standInEngine);
});

const liveHost = process.env.MEILI_HOST;
if (liveHost) {
  const prefix = `nl_test_${crypto.randomBytes(4).toString("hex")}_`;
  const meili = createMeilisearchEngine({ host: liveHost, apiKey: process.env.MEILI_API_KEY, indexPrefix: prefix, timeoutMs: 10_000 });
  engines.push({
    name: "meilisearch",
    engine: () => meili,
    cleanup: async () => {
      await meili.client.deleteIndex(`${prefix}posts`).waitTask();
      await meili.client.deleteIndex(`${prefix}people`).waitTask();
    },
  });
  beforeAll(async () => {
    await fillMeilisearch(meili);
  });
}

describe.each(engines)("search engine: $name", ({ engine, cleanup }) => {
  afterAll(async () => {
    await cleanup?.();
  });

  const searchPosts = (query: string, filters: SearchFilters = {}, extra: Partial<SearchRequest<"posts">> = {}) =>
    engine().search({ index: "posts", query: cleanQuery(query), filters, sort: "relevance", page: 1, perPage: 50, ...extra });
  const postIds = async (query: string, filters: SearchFilters = {}) => (await searchPosts(query, filters)).hits.map((hit) => hit.id);

  it("forgives typos in skill names", async () => {
    const found = await postIds("Holzbearbeitng");
    expect(found).toContain(ids.workshop);
    expect(found).not.toContain(ids.csharp);
  });

  it("forgives typos in the first letters too", async () => {
    expect(await postIds("Hlzbearbeitung")).toContain(ids.workshop);
    expect(await postIds("Hozlbearbeitung")).toContain(ids.workshop);
  });

  it("finds documents with most of several words when none has all of them", async () => {
    const found = await postIds("Holzbearbeitung Zauberwort");
    expect(found).toContain(ids.workshop);
    expect(found).not.toContain(ids.csharp);
  });

  it("finds posts tagged with a closely related skill (carpentry → Holzbau)", async () => {
    expect(await postIds("carpentry")).toContain(ids.roof);
  });

  it("finds German inflections (Werkstätten → Werkstatt)", async () => {
    expect(await postIds("Werkstätten")).toContain(ids.openWorkshop);
  });

  it("finds across languages through the skill labels", async () => {
    expect(await postIds("timber construction")).toContain(ids.roof);
    expect(await postIds("woodworking")).toContain(ids.workshop);
    expect(await postIds("3D printing")).toEqual(expect.arrayContaining([ids.openWorkshop, ids.printing]));
  });

  it("tells C#, C++ and 3D-Druck apart", async () => {
    const csharp = await postIds("C#");
    expect(csharp).toContain(ids.csharp);
    expect(csharp).not.toContain(ids.cpp);
    const cpp = await postIds("C++");
    expect(cpp).toContain(ids.cpp);
    expect(cpp).not.toContain(ids.csharp);
    for (const query of ["3D-Druck", "3d druck"]) {
      const printing = await postIds(query);
      expect(printing).toEqual(expect.arrayContaining([ids.openWorkshop, ids.printing]));
      expect(printing).not.toContain(ids.cpp);
    }
  });

  it("leaves out closed and hidden posts", async () => {
    const found = await postIds("Holzbearbeitung");
    expect(found).toContain(ids.workshop);
    expect(found).not.toContain(ids.closed);
    expect(found).not.toContain(ids.hidden);
  });

  it("lists the newest first for an empty query, with facet counts that add up", async () => {
    const result = await searchPosts("");
    expect(result.hits.map((hit) => hit.id)).toEqual([ids.printing, ids.openWorkshop, ids.cpp, ids.csharp, ids.roof, ids.workshop]);
    expect(result.total).toBe(6);
    const sum = (facet: keyof typeof result.facets) => (result.facets[facet] ?? []).reduce((total, entry) => total + entry.count, 0);
    for (const facet of ["kind", "category", "mode", "remote", "role"] as const) expect(sum(facet), facet).toBe(result.total);
    expect(result.facets.kind).toEqual([
      { value: "offer", count: 4 },
      { value: "need", count: 2 },
    ]);
    // The remote post has no Ortsteil: districts add up to the others.
    expect(sum("district")).toBe(result.total - 1);
    expect(result.facets.borough).toContainEqual({ value: "Alt-West", count: 2 });
    const printingSkill = result.facets.skill?.find((entry) => entry.count === 2);
    expect(printingSkill).toBeDefined();
  });

  it("combines a query with filters", async () => {
    expect(await postIds("Holz", { kind: ["offer"], district: ["Plagwitz"] })).toEqual([ids.workshop]);
    expect(await postIds("Holz", { category: ["knowhow"] })).toEqual([ids.roof]);
    expect(await postIds("3D-Druck", { kind: ["need"] })).toEqual([ids.openWorkshop]);
    expect(await postIds("", { remote: true })).toEqual([ids.csharp]);
    expect(await postIds("", { borough: ["Alt-West"], mode: ["barter"] })).toEqual([ids.roof]);
    const [printingSkill] = (await db()<{ id: string }[]>`select id from skills where slug = '3d-druck'`).map((row) => row.id);
    expect(new Set(await postIds("", { skill: [printingSkill!] }))).toEqual(new Set([ids.openWorkshop, ids.printing]));
    const narrowed = await searchPosts("Holz", { kind: ["offer"] });
    expect(narrowed.facets.kind).toEqual([{ value: "offer", count: narrowed.total }]);
  });

  it("treats filter values as values, never as syntax", async () => {
    const injected = await searchPosts("", { district: ['Plagwitz" OR kind = "need', "Plagwitz') or true --"] });
    expect(injected.total).toBe(0);
    expect((await searchPosts("", { skill: ["1) or (true"] })).total).toBe(0);
    expect((await searchPosts("", { kind: ['offer"]'] })).total).toBe(0);
  });

  it("answers absurd queries normally", async () => {
    for (const query of ["x".repeat(10_000), "\u0000\u0007'; drop table posts; --", 'kind = "need" OR 1=1', "((((!!&&||:*", "\\", "🙂"]) {
      const result = await searchPosts(query);
      expect(result.total).toBeGreaterThanOrEqual(0);
    }
    expect((await db()`select 1 from posts limit 1`).length).toBe(1);
  });

  it("leaves out the people the viewer does not see, and their posts", async () => {
    const result = await searchPosts("", {}, { excludeUserIds: [people.ben!] });
    expect(result.hits.map((hit: PostHit) => hit.author_id)).not.toContain(people.ben);
    expect(result.total).toBe(4);
    const persons = await engine().search({
      index: "people",
      query: "",
      filters: {},
      sort: "relevance",
      page: 1,
      perPage: 10,
      excludeUserIds: [people.ben!],
    });
    expect(persons.hits.map((hit) => hit.id)).not.toContain(people.ben);
  });

  it("drops an expired post at query time", async () => {
    const { documents } = await buildPostDocuments(db(), [ids.cpp!]);
    const expired = {
      ...documents[0]!,
      id: documents[0]!.id,
      expires_at: new Date(Date.now() - 1000).toISOString(),
      expires_at_ts: Math.floor(Date.now() / 1000) - 1,
    };
    await engine().index("posts", [expired]);
    expect(await postIds("Firmware")).not.toContain(ids.cpp);
    await engine().index("posts", documents);
    expect(await postIds("Firmware")).toContain(ids.cpp);
  });

  it("pages and sorts", async () => {
    const first = await searchPosts("", {}, { perPage: 4, page: 1 });
    const second = await searchPosts("", {}, { perPage: 4, page: 2 });
    expect(first.total).toBe(6);
    expect(second.total).toBe(6);
    expect(second.hits.map((hit) => hit.id)).toEqual([ids.roof, ids.workshop]);
    const newest = await searchPosts("Holz", {}, { sort: "newest" });
    expect(newest.hits.map((hit) => hit.id)).toEqual([ids.roof, ids.workshop]);
  });

  // The one ranking both engines follow (README "Search"): relevance — more query words, then title and skills
  // before description — with the newest first among equals; "newest" is strictly newest first among the matches.
  it("ranks by relevance with the newest first among equals, and strictly by date when asked for the newest", async () => {
    const smith = await createPerson({ displayName: "Uwe Esse", role: "craftsperson" });
    const post = (title: string, description: string) =>
      createTestPost(smith.id, { title, description, skills: "Metallbearbeitung", category: "knowhow", location: "Lindenau" });
    const ranked = {
      gutter: await post("Kupferschmied repariert Dachrinnen", "Schmiedearbeiten nach Maß."),
      older: await post("Kupferschmied mit Esse und Amboss", "Schmiedearbeiten nach Maß."),
      newer: await post("Kupferschmied mit Esse und Amboss", "Schmiedearbeiten nach Maß."),
      mention: await post("Altmetall abzugeben", "Reste vom Kupferschmied nebenan."),
    };
    for (const [hoursAgo, key] of [
      [4, "gutter"],
      [3, "older"],
      [2, "newer"],
      [1, "mention"],
    ] as const) {
      await db()`update posts set created_at = now() - make_interval(hours => ${hoursAgo}) where id = ${ranked[key]}`;
    }
    const { documents } = await buildPostDocuments(db(), Object.values(ranked));
    await engine().index("posts", documents);
    try {
      const relevance = await postIds("Kupferschmied");
      expect(new Set(relevance)).toEqual(new Set(Object.values(ranked)));
      // Equal text: the newer first. Only in the description: after every title match.
      expect(relevance.indexOf(ranked.newer)).toBeLessThan(relevance.indexOf(ranked.older));
      expect(relevance.at(-1)).toBe(ranked.mention);
      // Both words before one of them, though it is the oldest.
      expect((await postIds("Kupferschmied Dachrinnen"))[0]).toBe(ranked.gutter);
      const newest = await searchPosts("Kupferschmied", {}, { sort: "newest" });
      expect(newest.hits.map((hit) => hit.id)).toEqual([ranked.mention, ranked.newer, ranked.older, ranked.gutter]);
    } finally {
      await engine().remove("posts", Object.values(ranked));
    }
  });

  it("finds people by what they offer and seek, in both languages and with typos", async () => {
    const search = (query: string, filters: SearchFilters = {}) =>
      engine().search({ index: "people", query: cleanQuery(query), filters, sort: "relevance", page: 1, perPage: 10 });
    expect((await search("timber construction")).hits.map((hit) => hit.id)).toEqual([people.ada]);
    expect((await search("Holzbearbeitng")).hits.map((hit) => hit.id)).toContain(people.ada);
    expect((await search("C++")).hits.map((hit) => hit.id)).toEqual([people.ben]);
    expect((await search("3D printing")).hits.map((hit) => hit.id)).toEqual([people.cleo]);
    expect((await search("", { role: ["scientist"] })).hits.map((hit) => hit.id)).toEqual([people.cleo]);
    const all = await search("");
    expect(all.total).toBe(3);
    expect((all.facets.role ?? []).reduce((total, entry) => total + entry.count, 0)).toBe(3);
    const cleo = all.hits.find((hit) => hit.id === people.cleo);
    expect(cleo?.skills.map((skill) => [skill.label_de, skill.direction])).toEqual([["3D-Druck", "seek"]]);
  });
});

describe("embedded engine: searches with words", () => {
  it("plan with sequential scans off, for the statements of their transaction only", async () => {
    const inside = await withIndexScans(
      db(),
      true,
      async (tx) => (await tx<[{ enable_seqscan: string }]>`show enable_seqscan`)[0].enable_seqscan,
    );
    expect(inside).toBe("off");
    expect((await db()<[{ enable_seqscan: string }]>`show enable_seqscan`)[0].enable_seqscan).toBe("on");
  });
});
