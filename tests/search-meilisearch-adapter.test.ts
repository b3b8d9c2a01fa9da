/** The Meilisearch adapter against a local stand-in (tests/stand-ins/meilisearch.ts): what it sends and how it reads answers. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";
import { healthReport } from "~/modules/health/health.server";
import { buildPostDocuments } from "~/modules/search/documents.server";
import { createMeilisearchEngine, filterValue, MeilisearchTaskError } from "~/modules/search/meilisearch-engine.server";
import { runSearch } from "~/modules/search/search.server";
import type { PostDocument } from "~/modules/search/types";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";
import { startMeilisearchStandIn, type MeilisearchStandIn } from "./stand-ins/meilisearch";

useTestDatabase();

let standIn: MeilisearchStandIn;
let postDocuments: PostDocument[];
const engine = () => createMeilisearchEngine({ host: standIn.url, indexPrefix: "t_", timeoutMs: 10_000, taskTimeoutMs: 10_000 });

beforeAll(async () => {
  standIn = await startMeilisearchStandIn();
  const author = await createPerson({ displayName: "Ada", role: "craftsperson" });
  const postId = await createTestPost(author.id, { title: "C#-Hilfe gesucht", skills: "C#, Holzbau", location: "Plagwitz" });
  postDocuments = (await buildPostDocuments(db(), [postId])).documents;
});

afterAll(async () => {
  setEnvForTests({ MEILI_HOST: undefined });
  await standIn.close();
});

beforeEach(() => {
  standIn.setTaskOutcome("ok");
  standIn.setUnreachable(false);
  standIn.requests.length = 0;
});

describe("Meilisearch adapter", () => {
  it("declares its settings for both indexes", async () => {
    await engine().applySettings({ synonyms: { holzbau: ["timber construction"], "timber construction": ["holzbau"] } });
    const posts = standIn.settings.get("t_posts") as Record<string, unknown>;
    expect(posts.searchableAttributes).toEqual(["title", "skill_labels_de", "skill_labels_en", "skill_alt_labels", "description", "author_name"]);
    expect(posts.filterableAttributes).toEqual(
      expect.arrayContaining(["kind", "author_role", "category", "district", "skill_ids", "exchange_mode", "is_remote", "status", "expires_at_ts"]),
    );
    expect(posts.sortableAttributes).toEqual(["created_at_ts"]);
    expect(posts.synonyms).toEqual({ holzbau: ["timber construction"], "timber construction": ["holzbau"] });
    expect(posts.typoTolerance).toMatchObject({ enabled: true });
    expect(posts.rankingRules).toContain("sort");
    expect(posts.localizedAttributes).toContainEqual({ attributePatterns: ["skill_labels_de"], locales: ["deu"] });
    expect(posts.localizedAttributes).toContainEqual({ attributePatterns: ["skill_labels_en"], locales: ["eng"] });
    expect(posts.nonSeparatorTokens).toEqual(["#", "+"]);
    const people = standIn.settings.get("t_people") as Record<string, unknown>;
    expect(people.searchableAttributes).toEqual(["display_name", "skill_labels_de", "skill_labels_en", "skill_alt_labels", "bio"]);
    expect(people.filterableAttributes).toEqual(expect.arrayContaining(["role", "district", "skill_ids", "remote_ok"]));
    expect(standIn.requestsTo("POST", /^\/indexes$/).map((request) => request.body)).toEqual([
      { uid: "t_posts", primaryKey: "id" },
      { uid: "t_people", primaryKey: "id" },
    ]);
  });

  it("sends documents in the agreed shape", async () => {
    await engine().index("posts", postDocuments);
    const [request] = standIn.requestsTo("POST", /^\/indexes\/t_posts\/documents$/);
    expect(request.query).toEqual({ primaryKey: "id" });
    const [sent] = request.body as Record<string, unknown>[];
    expect(Object.keys(sent).sort()).toEqual(
      [
        "id", "kind", "title", "description", "category", "district", "borough", "is_remote", "exchange_mode", "status",
        "author_id", "author_name", "author_role", "skill_ids", "skill_labels_de", "skill_labels_en", "skill_alt_labels",
        "skill_keys", "skills", "created_at", "created_at_ts", "expires_at", "expires_at_ts",
      ].sort(),
    );
    expect(sent).toMatchObject({ kind: "offer", district: "Plagwitz", borough: "Südwest", author_name: "Ada", author_role: "craftsperson", status: "open" });
    expect(sent.skill_labels_de).toEqual(["C#", "Holzbau"]);
    expect(sent.skill_labels_en).toEqual(["C#", "timber construction"]);
    expect(sent.skill_alt_labels).toEqual(expect.arrayContaining(["C Sharp", "Holzbauweise", "wood construction"]));
    expect(sent.skill_keys).toEqual(expect.arrayContaining(["c#", "holzbau", "timberconstruction"]));
    expect(typeof sent.expires_at_ts).toBe("number");
    expect((sent.skill_ids as unknown[]).every((id) => typeof id === "string")).toBe(true);

    await engine().remove("posts", [postDocuments[0].id]);
    expect(standIn.requestsTo("POST", /^\/indexes\/t_posts\/documents\/delete-batch$/)[0].body).toEqual([postDocuments[0].id]);
  });

  it("builds filters from facets with user values quoted and escaped", async () => {
    expect(filterValue('Plagwitz" OR kind = "need')).toBe('"Plagwitz\\" OR kind = \\"need"');
    expect(filterValue("back\\slash")).toBe('"back\\\\slash"');
    await engine().search({
      index: "posts",
      query: "Holz",
      filters: { kind: ["offer"], district: ['Plagwitz" OR kind = "need'], skill: ["12", "13"], remote: true, role: ["artist"] },
      sort: "relevance",
      page: 2,
      perPage: 10,
      excludeUserIds: ["7"],
    });
    const [request] = standIn.requestsTo("POST", /^\/indexes\/t_posts\/search$/);
    const body = request.body as Record<string, unknown>;
    expect(body.q).toBe("Holz");
    expect(body.page).toBe(2);
    expect(body.hitsPerPage).toBe(10);
    expect(body.sort).toBeUndefined();
    const filter = body.filter as string[];
    expect(filter[0]).toBe('status = "open"');
    expect(filter[1]).toMatch(/^expires_at_ts > \d+$/);
    expect(filter.slice(2)).toEqual([
      'kind IN ["offer"]',
      'author_role IN ["artist"]',
      'district IN ["Plagwitz\\" OR kind = \\"need"]',
      'skill_ids IN ["12", "13"]',
      "is_remote = true",
      'author_id NOT IN ["7"]',
    ]);
    expect(body.facets).toEqual(["kind", "category", "author_role", "borough", "district", "skill_ids", "exchange_mode", "is_remote"]);
  });

  it("lists the newest for an empty query and reads hits and facet counts", async () => {
    await engine().index("posts", postDocuments);
    const result = await engine().search({ index: "posts", query: "", filters: {}, sort: "relevance", page: 1, perPage: 10 });
    const body = standIn.requestsTo("POST", /\/search$/)[0].body as Record<string, unknown>;
    expect(body.q).toBeNull();
    expect(body.sort).toEqual(["created_at_ts:desc"]);
    expect(result.total).toBe(1);
    expect(result.hits[0]).toEqual({
      id: postDocuments[0].id,
      kind: "offer",
      title: "C#-Hilfe gesucht",
      description: postDocuments[0].description,
      category: postDocuments[0].category,
      district: "Plagwitz",
      is_remote: false,
      exchange_mode: postDocuments[0].exchange_mode,
      author_id: postDocuments[0].author_id,
      author_name: "Ada",
      author_role: "craftsperson",
      skills: postDocuments[0].skills,
      created_at: postDocuments[0].created_at,
    });
    expect(result.facets.role).toEqual([{ value: "craftsperson", count: 1 }]);
    expect(result.facets.remote).toEqual([{ value: "false", count: 1 }]);
    expect(result.facets.skill).toHaveLength(2);
  });

  it("treats failed tasks as errors", async () => {
    standIn.setTaskOutcome("fail");
    await expect(engine().index("posts", postDocuments)).rejects.toBeInstanceOf(MeilisearchTaskError);
    await expect(engine().remove("posts", ["1"])).rejects.toThrow(/failed/);
    await expect(engine().applySettings({ synonyms: {} })).rejects.toThrow(/failed/);
  });

  it("reindexes into a fresh index and swaps it in", async () => {
    await engine().index("posts", [{ ...postDocuments[0], id: "999999" }]);
    async function* batches() {
      yield postDocuments;
    }
    await engine().reindex("posts", batches(), { synonyms: {} });
    const [swap] = standIn.requestsTo("POST", /^\/swap-indexes$/);
    const [pair] = swap.body as { indexes: [string, string]; rename: boolean }[];
    expect(pair.indexes[0]).toBe("t_posts");
    expect(pair.indexes[1]).toMatch(/^t_posts_reindex_\d+$/);
    expect(pair.rename).toBe(false);
    expect([...(standIn.documents.get("t_posts")?.keys() ?? [])]).toEqual([postDocuments[0].id]);
    expect(standIn.documents.has(pair.indexes[1])).toBe(false);
    // The fresh index got the settings before any document.
    const freshWrites = standIn.requests.filter((request) => request.path.startsWith(`/indexes/${pair.indexes[1]}/`));
    expect(freshWrites.map((request) => request.path.split("/").pop())).toEqual(["settings", "documents"]);
  });

  it("keeps the live index when a reindex fails", async () => {
    await engine().index("posts", postDocuments);
    async function* failing(): AsyncGenerator<PostDocument[]> {
      yield [{ ...postDocuments[0], id: "5" }];
      throw new Error("database went away");
    }
    await expect(engine().reindex("posts", failing(), { synonyms: {} })).rejects.toThrow("database went away");
    expect(standIn.requestsTo("POST", /^\/swap-indexes$/)).toHaveLength(0);
    expect([...(standIn.documents.get("t_posts")?.keys() ?? [])]).toEqual([postDocuments[0].id]);
  });

  it("reports an unreachable server, and searches fall back to the embedded engine", async () => {
    standIn.setUnreachable(true);
    expect((await engine().health()).ok).toBe(false);
    setEnvForTests({ NODE_ENV: "test", WORKERS: "off", MEILI_HOST: standIn.url, MEILI_INDEX_PREFIX: "t_" });
    const result = await runSearch({ index: "posts", query: "Holz", filters: {}, sort: "relevance", page: 1, perPage: 10 });
    expect(result).toMatchObject({ engine: "embedded", degraded: true });
    const report = await healthReport();
    expect(report.ok).toBe(true);
    expect(report.search).toMatchObject({ engine: "meilisearch", ok: false, degraded: true });

    standIn.setUnreachable(false);
    expect((await healthReport()).search).toMatchObject({ engine: "meilisearch", ok: true, degraded: false });
    // A healthy check lets searches go back to Meilisearch at once.
    expect(await runSearch({ index: "posts", query: "", filters: {}, sort: "relevance", page: 1, perPage: 10 })).toMatchObject({
      engine: "meilisearch",
      degraded: false,
    });
    setEnvForTests({ MEILI_HOST: undefined });
  });
});
