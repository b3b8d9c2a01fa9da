/** The /search and /search/suggest loaders, called directly with a Request. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";
import { processOutbox } from "~/modules/outbox/outbox.server";
import { applySearchChanges } from "~/modules/search/search.server";
import { loader as searchLoader } from "~/routes/search";
import { loader as suggestLoader } from "~/routes/search-suggest";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";

useTestDatabase();

const args = (path: string, headers: Record<string, string> = {}): LoaderFunctionArgs => ({
  request: new Request(`http://localhost${path}`, { headers }),
  params: {},
  context: {},
});
const load = (path: string) => searchLoader(args(path));

let workshop: string;
let holzbauSkill: string;

beforeAll(async () => {
  const ada = await createPerson({ displayName: "Ada Holz", skillsOffered: ["Holzbau"] });
  workshop = await createTestPost(ada.id, { title: "Holzwerkstatt mit Hobelbank", skills: "Holzbearbeitung, Holzbau" });
  await createTestPost(ada.id, { kind: "need", title: "Suche Lötstation", skills: "Löten", category: "equipment" });
  while ((await processOutbox("search", applySearchChanges)) > 0);
  [{ id: holzbauSkill }] = await db()<[{ id: string }]>`select id from skills where slug = 'holzbau'`;
});

describe("/search", () => {
  it("highlights matches as segments and counts facets", async () => {
    const data = await load("/search?q=Holzbearbeitng");
    expect(data.view.posts.map((post) => post.id)).toEqual([workshop]);
    const skillTag = data.view.posts[0]!.skills.find((skill) => skill.slug === "holzbearbeitung");
    expect(skillTag?.label).toEqual([{ text: "Holzbearbeitung", mark: true }]);
    expect(data.view.facets.find((group) => group.name === "kind")?.options).toEqual([
      { value: "offer", label: null, count: 1, selected: false },
    ]);
    expect(data.view.degraded).toBe(false);
    expect(data.title).toContain("Holzbearbeitng");
  });

  it("lists the newest for an empty query", async () => {
    const data = await load("/search");
    expect(data.view.total).toBe(2);
    expect(data.view.posts[0]!.title).toEqual([{ text: "Suche Lötstation" }]);
  });

  it("filters by ?skill=<id> and shows that skill as a chosen facet with its name", async () => {
    const data = await load(`/search?skill=${holzbauSkill}`);
    expect(data.view.posts.map((post) => post.id)).toEqual([workshop]);
    const option = data.view.facets.find((group) => group.name === "skill")?.options.find((entry) => entry.value === holzbauSkill);
    expect(option).toEqual({ value: holzbauSkill, label: "Holzbau", count: 1, selected: true });
    const english = await searchLoader(args(`/search?skill=${holzbauSkill}`, { "accept-language": "en" }));
    expect(english.view.facets.find((group) => group.name === "skill")?.options.find((entry) => entry.value === holzbauSkill)?.label).toBe(
      "timber construction",
    );
  });

  it("finds people on the people tab", async () => {
    const data = await load("/search?tab=people&q=timber+construction");
    expect(data.view.people.map((person) => person.name.map((segment) => segment.text).join(""))).toEqual(["Ada Holz"]);
    expect(data.view.posts).toEqual([]);
  });

  it("answers absurd input with a normal page", async () => {
    const absurd = [
      `/search?q=${"x".repeat(10_000)}`,
      `/search?q=${encodeURIComponent("\u0000\u0001'; drop table posts; --")}`,
      `/search?q=${encodeURIComponent('" OR 1=1 AND kind = "need')}&district=${encodeURIComponent('") OR (1=1')}&skill=abc&page=-1&sort=%00`,
      "/search?q=%E0%A4%A&kind=%ZZ",
    ];
    for (const path of absurd) {
      const data = await load(path);
      expect(data.params.query.length).toBeLessThanOrEqual(200);
      expect(data.view.total).toBeGreaterThanOrEqual(0);
    }
  });

  it("says search is limited when Meilisearch is configured but unreachable", async () => {
    setEnvForTests({ MEILI_HOST: "http://127.0.0.1:9" });
    try {
      const data = await load("/search?q=Holz");
      expect(data.view).toMatchObject({ degraded: true, engine: "embedded" });
      expect(data.view.posts.map((post) => post.id)).toEqual([workshop]);
    } finally {
      setEnvForTests({ MEILI_HOST: undefined });
    }
  });
});

describe("/search/suggest", () => {
  it("suggests skills and posts", async () => {
    const response = await suggestLoader(args("/search/suggest?q=Holzb"));
    const body = (await response.json()) as { suggestions: { type: string; label: string; href: string }[] };
    expect(body.suggestions).toContainEqual({ type: "skill", label: "Holzbau", href: `/search?skill=${holzbauSkill}` });
    expect(body.suggestions).toContainEqual({ type: "post", label: "Holzwerkstatt mit Hobelbank", href: `/posts/${workshop}` });
  });

  it("answers nonsense with an empty list", async () => {
    for (const q of ["", "x", "'\u0000", "%".repeat(5000)]) {
      const response = await suggestLoader(args(`/search/suggest?q=${encodeURIComponent(q)}`));
      expect(response.status).toBe(200);
    }
  });
});
