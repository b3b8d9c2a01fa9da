/**
 * The embedded engine finds what a person means: typos anywhere in a word (the first letters included), also
 * when the typo happens to match something literally; several words (all words first, then most); "Meintest
 * du" on the search page. The cases Meilisearch shares are in search-engine.test.ts.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { processOutbox } from "~/modules/outbox/outbox.server";
import { buildSynonyms } from "~/modules/search/sync/documents.server";
import { createEmbeddedEngine, forgetBroadSearchCounts } from "~/modules/search/engines/embedded/engine.server";
import { cleanQuery } from "~/modules/search/query";
import { applySearchChanges } from "~/modules/search/search.server";
import { foldWord } from "~/modules/search/engines/embedded/typos";
import { normalizeSkillLabel } from "~/modules/skills/normalize";
import { suggestSkills } from "~/modules/skills/skills.server";
import { loader as searchLoader } from "~/routes/search";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";

useTestDatabase();

const ids: Record<string, string> = {};

beforeAll(async () => {
  const ada = (await createPerson({ displayName: "Ada Ton", skillsOffered: ["Keramik"] })).id;
  ids.pottery = await createTestPost(ada, {
    title: "Töpferkurs am Abend am Brennofen",
    description: "Drehscheibe und Glasuren.",
    skills: "Keramik",
    category: "knowhow",
  });
  ids.potteryDay = await createTestPost(ada, {
    title: "Töpferkurs für Kinder",
    description: "Wir formen Schalen.",
    skills: "Keramik",
    category: "knowhow",
  });
  // A typo of "Keramik" that is literally in one unrelated post.
  ids.literal = await createTestPost(ada, {
    title: "Ausstellung Kermik & Co",
    description: "Eine Galerie in Plagwitz.",
    skills: "Fotografie",
    category: "space",
  });
  ids.clay = await createTestPost(ada, {
    title: "Lehmputz für die Altbauwohnung",
    description: "Innenwände mit Lehm verputzen.",
    skills: "Lehmbau",
    category: "knowhow",
  });
  ids.timber = await createTestPost(ada, {
    title: "Carport aus Lärchenholz",
    description: "Wir bauen Carports.",
    skills: "Holzbau",
    category: "knowhow",
  });
  ids.roofing = await createTestPost(ada, {
    title: "Dachstuhl richten",
    description: "Abbund und Aufrichten.",
    skills: "Zimmerei",
    category: "knowhow",
  });
  ids.oven = await createTestPost(ada, {
    title: "Pizzaofen aus Lehm",
    description: "Wir bauen einen Ofen im Hof.",
    skills: "Lehmofenbau",
    category: "knowhow",
  });
  ids.windows = await createTestPost(ada, {
    title: "Neue Fenster für das Gemeinschaftshaus",
    description: "Planung der Verglasung.",
    skills: "Fenster- und Verglasungssysteme planen",
    category: "knowhow",
  });
  // Posts that have the words of a label without its skill, against the posts of the skill itself.
  ids.kazakhReading = await createTestPost(ada, {
    title: "Kasachisch lesen: Zeitungen und Kasachisch im Alltag",
    description: "Kasachisch für Fortgeschrittene.",
    skills: "geschriebenes Kasachisch verstehen",
    category: "knowhow",
  });
  ids.kazakh = await createTestPost(ada, {
    title: "Sprachtandem gesucht",
    description: "Jeden Dienstag im Café.",
    skills: "Kasachisch",
    category: "knowhow",
  });
  ids.mending = await createTestPost(ada, {
    title: "Design trifft clothing repair",
    description: "Clothing and design, repaired.",
    skills: "Editorial Design, Kleidungsreparatur",
    category: "knowhow",
  });
  ids.fashion = await createTestPost(ada, {
    title: "Eigene Kollektion nähen",
    description: "Schnitte und Stoffe.",
    skills: "Modedesign",
    category: "knowhow",
  });
  ids.radio = await createTestPost(ada, {
    title: "Sendung am Donnerstag",
    description: "Wir suchen Stimmen.",
    skills: "Freies Radio",
    category: "knowhow",
  });
  ids.spread = await createTestPost(ada, {
    title: "Production and show: crop production, show initiative",
    description: "Show us your production.",
    skills: "Grundsätze des Pflanzenbaus, Initiative zeigen",
    category: "knowhow",
  });
  while ((await processOutbox("search", applySearchChanges)) > 0);
  forgetBroadSearchCounts();
});

const search = (query: string) =>
  createEmbeddedEngine(db()).search({ index: "posts", query: cleanQuery(query), filters: {}, sort: "relevance", page: 1, perPage: 20 });
const found = async (query: string) => (await search(query)).hits.map((hit) => hit.id);

describe("typos anywhere in a word", () => {
  it.each([
    ["Eramik", "first letter missing"],
    ["Ekramik", "first two letters swapped"],
    ["Xeramik", "first letter replaced"],
    ["Kramik", "second letter missing"],
    ["Keramki", "last two letters swapped"],
  ])("%s (%s) finds the Keramik posts and says so", async (query) => {
    const result = await search(query);
    expect(result.hits.map((hit) => hit.id)).toEqual(expect.arrayContaining([ids.pottery, ids.potteryDay]));
    expect(result.hits.map((hit) => hit.id)).not.toContain(ids.clay);
    expect(result.correctedQuery).toBe("Keramik");
  });

  it("corrects a word of a long ESCO label with a typo in its first letters", async () => {
    const result = await search("Fnster- und Verglasungssysteme planen");
    expect(result.hits.map((hit) => hit.id)).toContain(ids.windows);
    expect(result.correctedQuery).toBe("Fenster- und Verglasungssysteme planen");
  });

  it("corrects a typo that matches something literally, and ranks the literal hit first", async () => {
    const result = await search("Kermik");
    expect(result.hits[0]!.id).toBe(ids.literal);
    expect(result.hits.map((hit) => hit.id)).toEqual(expect.arrayContaining([ids.pottery, ids.potteryDay]));
    expect(result.correctedQuery).toBe("Keramik");
  });

  it("leaves known words alone: exact words, other inflections, a word still being typed", async () => {
    for (const query of ["Keramik", "Fensters", "Keram", "Töpferkurs"]) {
      const result = await search(query);
      expect(result.correctedQuery, query).toBeUndefined();
      expect(result.total, query).toBeGreaterThan(0);
    }
  });

  it("corrects each word of a multi-word query on its own", async () => {
    const result = await search("Kramik Brenofen");
    expect(result.correctedQuery).toBe("Keramik Brennofen");
    expect(result.hits[0]!.id).toBe(ids.pottery);
  });
});

describe("several words", () => {
  it("ranks documents with all words first, then those with most of them", async () => {
    const ranked = await found("Keramik Abend");
    expect(ranked[0]).toBe(ids.pottery);
    expect(ranked).toContain(ids.potteryDay);
  });

  it("is never empty when single words find something", async () => {
    expect(await found("Keramik Zauberwort")).toEqual(expect.arrayContaining([ids.pottery, ids.potteryDay]));
    expect(await found("rammed earth")).toContain(ids.clay);
  });

  it("keeps a skill phrase first", async () => {
    const ranked = await found("earth building Fenster");
    expect(ranked[0]).toBe(ids.clay);
  });

  it("ranks the skill a corrected query names first, above posts that only have its word", async () => {
    for (const query of ["Uasachisch", "Kasachich"]) {
      const result = await search(query);
      expect(result.correctedQuery).toBe("Kasachisch");
      expect(result.hits.map((hit) => hit.id).slice(0, 2)).toEqual([ids.kazakh, ids.kazakhReading]);
    }
  });

  it("ranks a skill with the words together in one label above posts with them spread over several skills", async () => {
    const ranked = await found("production show");
    expect(ranked[0]).toBe(ids.radio);
    expect(ranked).toContain(ids.spread);
  });

  it("names a skill by its label's words in another order", async () => {
    const ranked = await found("design clothing");
    expect(ranked[0]).toBe(ids.fashion);
    expect(ranked).toContain(ids.mending);
  });
});

describe("neighbouring skills", () => {
  it("finds posts tagged with a closely related skill, below the direct hits, and says through which skill", async () => {
    const result = await search("carpentry");
    const order = result.hits.map((hit) => hit.id);
    expect(order[0]).toBe(ids.roofing);
    expect(order).toContain(ids.timber);
    expect(order).not.toContain(ids.pottery);
    const timber = result.hits.find((hit) => hit.id === ids.timber);
    const [zimmerei] = await db()<{ id: string }[]>`select id::text from skills where slug = 'zimmerei'`;
    expect(result.relatedTo?.[timber?.related_skill_id ?? ""]).toBe(zimmerei!.id);
    expect(result.hits.find((hit) => hit.id === ids.roofing)?.related_skill_id).toBeNull();
  });
});

describe("suggestions", () => {
  const kind = (matched: string, key: string) => {
    const folded = foldWord(matched);
    if (normalizeSkillLabel(matched).startsWith(key)) return 0;
    return (folded.match(/[a-z0-9]+/g) ?? []).some((word) => word.startsWith(key)) ? 1 : 2;
  };

  it("rank label prefixes before word prefixes before inner matches", async () => {
    const suggestions = await suggestSkills("druck", "de", 40);
    const kinds = suggestions.map((entry) => kind(entry.matchedLabel, "druck"));
    expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
    expect(kinds).toContain(0);
    expect(suggestions.map((entry) => entry.label)).toContain("3D-Druck");
    expect(kind("3D-Druck", "druck")).toBe(1);
  });

  it("rank skills in use before unused ones", async () => {
    const labels = (await suggestSkills("lehm", "de", 8)).map((entry) => entry.label);
    // Lehmbau and Lehmofenbau are on posts; Lehmputz (shorter than Lehmofenbau) is not.
    expect(labels.slice(0, 2)).toEqual(["Lehmbau", "Lehmofenbau"]);
    expect(labels.indexOf("Lehmputz")).toBeGreaterThan(1);
  });
});

describe("Meilisearch settings", () => {
  it("declare closely related skills as one-way synonyms", async () => {
    const synonyms = await buildSynonyms(db());
    expect(synonyms["carpentry"]).toEqual(expect.arrayContaining(["zimmerei", "holzbau", "timber construction"]));
    expect(synonyms["holzbau"]).toEqual(expect.arrayContaining(["timber construction", "zimmerei"]));
  });
});

describe("/search page", () => {
  const load = (path: string) =>
    searchLoader({ request: new Request(`http://localhost${path}`), params: {}, context: {} } as LoaderFunctionArgs);

  it("shows 'Meintest du' with the corrected query and marks the corrected words", async () => {
    const data = await load(`/search?q=${encodeURIComponent("Ekramik")}`);
    expect(data.view.correctedQuery).toBe("Keramik");
    const pottery = data.view.posts.find((post) => post.id === ids.pottery);
    expect(pottery?.skills.find((skill) => skill.slug === "keramik")?.label).toEqual([{ text: "Keramik", mark: true }]);
    expect((await load("/search?q=Keramik")).view.correctedQuery).toBeNull();
  });

  it("says 'verwandt mit Zimmerei' on a post found through the relation", async () => {
    const data = await load("/search?q=Zimmerei");
    expect(data.view.posts.find((post) => post.id === ids.timber)?.relatedTo).toBe("Zimmerei");
    expect(data.view.posts.find((post) => post.id === ids.roofing)?.relatedTo).toBeNull();
  });
});
