/** The Meilisearch adapter against a local stand-in (tests/stand-ins/meilisearch.ts): what it sends and how it reads answers. */
import { MeilisearchRequestError, MeilisearchRequestTimeOutError, MeilisearchTaskTimeOutError } from "meilisearch";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";
import { healthReport } from "~/modules/health/health.server";
import { buildPostDocuments } from "~/modules/search/sync/documents.server";
import {
  createMeilisearchEngine,
  DOCUMENT_TASKS_IN_FLIGHT,
  filterValue,
  MeilisearchTaskError,
  MeilisearchVersionError,
  versionAtLeast,
} from "~/modules/search/engines/meilisearch/engine.server";
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
    const posts = (await engine().client.index("t_posts").getSettings()) as Record<string, unknown>;
    expect(posts.searchableAttributes).toEqual([
      "title",
      "skill_labels_de",
      "skill_labels_en",
      "skill_alt_labels",
      "description",
      "author_name",
    ]);
    expect(posts.rankingRules).toEqual(["sort", "words", "typo", "proximity", "attribute", "exactness", "created_at_ts:desc"]);
    expect(posts.filterableAttributes).toEqual(
      expect.arrayContaining([
        "kind",
        "author_role",
        "category",
        "district",
        "skill_ids",
        "exchange_mode",
        "is_remote",
        "status",
        "expires_at_ts",
      ]),
    );
    expect(posts.sortableAttributes).toEqual(["created_at_ts"]);
    expect(posts.synonyms).toEqual({ holzbau: ["timber construction"], "timber construction": ["holzbau"] });
    expect(posts.typoTolerance).toMatchObject({ enabled: true });
    expect(posts.localizedAttributes).toContainEqual({ attributePatterns: ["skill_labels_de"], locales: ["deu"] });
    expect(posts.localizedAttributes).toContainEqual({ attributePatterns: ["skill_labels_en"], locales: ["eng"] });
    expect(posts.nonSeparatorTokens).toEqual(["#", "+"]);
    const people = (await engine().client.index("t_people").getSettings()) as Record<string, unknown>;
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
    expect(request!.query).toEqual({ primaryKey: "id" });
    const [sent] = request!.body as Record<string, unknown>[];
    expect(Object.keys(sent!).sort()).toEqual(
      [
        "id",
        "kind",
        "title",
        "description",
        "category",
        "district",
        "borough",
        "is_remote",
        "exchange_mode",
        "status",
        "author_id",
        "author_name",
        "author_role",
        "skill_ids",
        "skill_labels_de",
        "skill_labels_en",
        "skill_alt_labels",
        "skill_keys",
        "skills",
        "created_at",
        "created_at_ts",
        "expires_at",
        "expires_at_ts",
      ].sort(),
    );
    expect(sent).toMatchObject({
      kind: "offer",
      district: "Plagwitz",
      borough: "Südwest",
      author_name: "Ada",
      author_role: "craftsperson",
      status: "open",
    });
    expect(sent!.skill_labels_de).toEqual(["C#", "Holzbau"]);
    expect(sent!.skill_labels_en).toEqual(["C#", "timber construction"]);
    expect(sent!.skill_alt_labels).toEqual(expect.arrayContaining(["C Sharp", "Holzbauweise", "wood construction"]));
    expect(sent!.skill_keys).toEqual(expect.arrayContaining(["c#", "holzbau", "timberconstruction"]));
    expect(typeof sent!.expires_at_ts).toBe("number");
    expect((sent!.skill_ids as unknown[]).every((id) => typeof id === "string")).toBe(true);

    await engine().remove("posts", [postDocuments[0]!.id]);
    expect(standIn.requestsTo("POST", /^\/indexes\/t_posts\/documents\/delete-batch$/)[0]!.body).toEqual([postDocuments[0]!.id]);
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
    const body = request!.body as Record<string, unknown>;
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
    const body = standIn.requestsTo("POST", /\/search$/)[0]!.body as Record<string, unknown>;
    expect(body.q).toBeNull();
    expect(body.sort).toEqual(["created_at_ts:desc"]);
    expect(result.total).toBe(1);
    expect(result.hits[0]).toEqual({
      id: postDocuments[0]!.id,
      kind: "offer",
      title: "C#-Hilfe gesucht",
      description: postDocuments[0]!.description,
      category: postDocuments[0]!.category,
      district: "Plagwitz",
      is_remote: false,
      exchange_mode: postDocuments[0]!.exchange_mode,
      author_id: postDocuments[0]!.author_id,
      author_name: "Ada",
      author_role: "craftsperson",
      skills: postDocuments[0]!.skills,
      created_at: postDocuments[0]!.created_at,
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
    await engine().index("posts", [{ ...postDocuments[0]!, id: "999999" }]);
    async function* batches() {
      yield postDocuments;
    }
    await engine().reindex("posts", batches(), { synonyms: {} });
    const [swap] = standIn.requestsTo("POST", /^\/swap-indexes$/);
    const [pair] = swap!.body as { indexes: [string, string]; rename: boolean }[];
    expect(pair!.indexes[0]).toBe("t_posts");
    expect(pair!.indexes[1]).toMatch(/^t_posts_reindex_\d+$/);
    expect(pair!.rename).toBe(false);
    expect([...(standIn.documents.get("t_posts")?.keys() ?? [])]).toEqual([postDocuments[0]!.id]);
    expect(standIn.documents.has(pair!.indexes[1])).toBe(false);
    // The fresh index got the settings before any document.
    const freshWrites = standIn.requests.filter((request) => request.path.startsWith(`/indexes/${pair!.indexes[1]}/`));
    expect(freshWrites.map((request) => request.path.split("/").pop())).toEqual(["settings", "documents"]);
  });

  it("keeps the live index when a reindex fails", async () => {
    await engine().index("posts", postDocuments);
    async function* failing(): AsyncGenerator<PostDocument[]> {
      yield [{ ...postDocuments[0]!, id: "5" }];
      throw new Error("database went away");
    }
    await expect(engine().reindex("posts", failing(), { synonyms: {} })).rejects.toThrow("database went away");
    expect(standIn.requestsTo("POST", /^\/swap-indexes$/)).toHaveLength(0);
    expect([...(standIn.documents.get("t_posts")?.keys() ?? [])]).toEqual([postDocuments[0]!.id]);
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

/** Starts a stand-in just for one test, and closes it afterwards. */
async function withStandIn<T>(options: Parameters<typeof startMeilisearchStandIn>[0], run: (server: MeilisearchStandIn) => Promise<T>) {
  const server = await startMeilisearchStandIn(options);
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

async function* inBatches(documents: PostDocument[], size: number) {
  for (let i = 0; i < documents.length; i += size) yield documents.slice(i, i + size);
}

describe("Meilisearch server versions (point 8)", () => {
  it("reindexes on a 1.12 server by swapping without the `rename` field, which that version refuses", async () => {
    await withStandIn({ version: "1.12.0" }, async (old) => {
      const meili = createMeilisearchEngine({ host: old.url, indexPrefix: "v_", timeoutMs: 5000, taskTimeoutMs: 5000 });
      expect(await meili.serverVersion()).toBe("1.12.0");
      await meili.applySettings({ synonyms: {} });
      await meili.reindex("posts", inBatches(postDocuments, 1), { synonyms: {} });
      const [swap] = old.requestsTo("POST", /^\/swap-indexes$/);
      expect(swap!.body).toEqual([{ indexes: ["v_posts", expect.stringMatching(/^v_posts_reindex_\d+$/)] }]);
      expect([...(old.documents.get("v_posts")?.keys() ?? [])]).toEqual([postDocuments[0]!.id]);
      // And searches (with `locales`, which 1.12 knows) work on it.
      const found = await meili.search({ index: "posts", query: "Hilfe", filters: {}, sort: "relevance", page: 1, perPage: 10 });
      expect(found.hits.map((hit) => hit.id)).toEqual([postDocuments[0]!.id]);
    });
  });

  it("sends `rename: false` from 1.18 on", async () => {
    await withStandIn({ version: "1.18.1" }, async (current) => {
      const meili = createMeilisearchEngine({ host: current.url, indexPrefix: "v_", timeoutMs: 5000, taskTimeoutMs: 5000 });
      await meili.reindex("posts", inBatches(postDocuments, 1), { synonyms: {} });
      const [swap] = current.requestsTo("POST", /^\/swap-indexes$/);
      expect((swap!.body as { rename?: boolean }[])[0]!.rename).toBe(false);
    });
  });

  it("refuses a server older than 1.10 in one readable line, before sending anything", async () => {
    await withStandIn({ version: "1.9.0" }, async (ancient) => {
      const meili = createMeilisearchEngine({ host: ancient.url, indexPrefix: "v_", timeoutMs: 5000, taskTimeoutMs: 5000 });
      const refused = meili.applySettings({ synonyms: {} });
      await expect(refused).rejects.toBeInstanceOf(MeilisearchVersionError);
      await expect(refused).rejects.toThrow(
        /^Meilisearch 1\.9\.0 at http:\/\/127\.0\.0\.1:\d+ is too old: NextLeipzig needs Meilisearch 1\.10\.0 or newer/,
      );
      await expect(meili.reindex("posts", inBatches(postDocuments, 1), { synonyms: {} })).rejects.toBeInstanceOf(MeilisearchVersionError);
      expect(ancient.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["GET /version"]);
    });
  });

  it("compares versions by number", () => {
    expect(versionAtLeast("1.18.0", "1.18.0")).toBe(true);
    expect(versionAtLeast("1.9.3", "1.18.0")).toBe(false);
    expect(versionAtLeast("1.12.0", "1.10.0")).toBe(true);
    expect(versionAtLeast("2.0.0-rc.1", "1.18.0")).toBe(true);
    expect(versionAtLeast("v1.17.9", "1.18.0")).toBe(false);
  });
});

describe("Meilisearch requests (point 11)", () => {
  it("sends settings only when they changed, and then only the settings that changed", async () => {
    await withStandIn({}, async (server) => {
      const meili = () => createMeilisearchEngine({ host: server.url, indexPrefix: "s_", timeoutMs: 5000, taskTimeoutMs: 5000 });
      const synonyms = { holzbau: ["timber construction"], "timber construction": ["holzbau"] };
      await meili().applySettings({ synonyms });
      expect(server.requestsTo("PATCH", /\/settings$/)).toHaveLength(2);
      // A restart (a new engine) with the same settings: read, compared, nothing sent.
      server.requests.length = 0;
      await meili().applySettings({ synonyms: { "timber construction": ["holzbau"], holzbau: ["timber construction"] } });
      expect(server.requestsTo("GET", /\/settings$/)).toHaveLength(2);
      expect(server.requestsTo("PATCH", /\/settings$/)).toHaveLength(0);
      // New synonyms: only they go out.
      await meili().applySettings({ synonyms: { ...synonyms, lehmbau: ["clay construction"] } });
      const patches = server.requestsTo("PATCH", /\/settings$/);
      expect(patches.map((request) => Object.keys(request.body as object))).toEqual([["synonyms"], ["synonyms"]]);
    });
  });

  it("keeps several document batches in Meilisearch's queue at once during a reindex, never more than the limit", async () => {
    await withStandIn({ taskDelayMs: 20 }, async (server) => {
      const meili = createMeilisearchEngine({ host: server.url, indexPrefix: "b_", timeoutMs: 5000, taskTimeoutMs: 5000 });
      const many = Array.from({ length: 12 }, (_, i) => ({ ...postDocuments[0]!, id: String(1000 + i) }));
      let mostPending = 0;
      server.onRequest(async (request) => {
        if (request.method !== "POST" || !/_reindex_\d+\/documents$/.test(request.path)) return;
        const pending = server
          .tasks()
          .filter((task) => task.type === "documentAdditionOrUpdate" && (task.status === "enqueued" || task.status === "processing"));
        mostPending = Math.max(mostPending, pending.length + 1);
      });
      await meili.reindex("posts", inBatches(many, 1), { synonyms: {} });
      expect(mostPending).toBeGreaterThan(1);
      expect(mostPending).toBeLessThanOrEqual(DOCUMENT_TASKS_IN_FLIGHT);
      expect(server.documents.get("b_posts")?.size).toBe(12);
      // Every task had finished (succeeded) before the swap was asked for.
      const swapAt = server.requests.findIndex((request) => request.path === "/swap-indexes");
      expect(swapAt).toBeGreaterThan(0);
      expect(
        server
          .tasks()
          .filter((task) => task.type === "documentAdditionOrUpdate")
          .every((task) => task.status === "succeeded"),
      ).toBe(true);
    });
  });

  it("stops a reindex whose batch failed, without swapping", async () => {
    await withStandIn({}, async (server) => {
      const meili = createMeilisearchEngine({ host: server.url, indexPrefix: "b_", timeoutMs: 5000, taskTimeoutMs: 5000 });
      const bad = [{ ...postDocuments[0]!, id: "not an id!" }];
      await expect(meili.reindex("posts", inBatches([...postDocuments, ...bad, ...postDocuments], 1), { synonyms: {} })).rejects.toThrow(
        /invalid/,
      );
      expect(server.requestsTo("POST", /^\/swap-indexes$/)).toHaveLength(0);
    });
  });

  it("passes locales with every search, and uses the search-only key for searches and the other key for the rest", async () => {
    const keys = { admin: "admin-key-0123456789abcdef", search: "search-key-0123456789abcdef" };
    await withStandIn({ keys }, async (server) => {
      const meili = createMeilisearchEngine({
        host: server.url,
        apiKey: keys.admin,
        searchApiKey: keys.search,
        indexPrefix: "k_",
        timeoutMs: 5000,
        taskTimeoutMs: 5000,
      });
      await meili.applySettings({ synonyms: {} });
      await meili.index("posts", postDocuments);
      const found = await meili.search({ index: "posts", query: "Hilfe", filters: {}, sort: "relevance", page: 1, perPage: 10 });
      expect(found.total).toBe(1);
      const searches = server.requestsTo("POST", /\/search$/);
      expect(searches.map((request) => request.authorization)).toEqual([`Bearer ${keys.search}`]);
      expect((searches[0]!.body as { locales?: string[] }).locales).toEqual(["deu", "eng"]);
      const others = server.requests.filter((request) => !request.path.endsWith("/search"));
      expect(others.length).toBeGreaterThan(3);
      expect(new Set(others.map((request) => request.authorization))).toEqual(new Set([`Bearer ${keys.admin}`]));
      // The search key really can do nothing else.
      const searchOnly = createMeilisearchEngine({
        host: server.url,
        apiKey: keys.search,
        indexPrefix: "k_",
        timeoutMs: 5000,
        taskTimeoutMs: 5000,
      });
      await expect(searchOnly.index("posts", postDocuments)).rejects.toThrow(/API key is invalid/);
    });
  });

  it("uses the search-only key from MEILI_SEARCH_API_KEY, and refuses one that cannot be a key", async () => {
    const keys = { admin: "admin-key-0123456789abcdef", search: "search-key-0123456789abcdef" };
    await withStandIn({ keys }, async (server) => {
      setEnvForTests({
        NODE_ENV: "test",
        WORKERS: "off",
        MEILI_HOST: server.url,
        MEILI_API_KEY: keys.admin,
        MEILI_SEARCH_API_KEY: keys.search,
        MEILI_INDEX_PREFIX: "k_",
      });
      try {
        await createMeilisearchEngine({ host: server.url, apiKey: keys.admin, indexPrefix: "k_" }).applySettings({ synonyms: {} });
        const result = await runSearch({ index: "posts", query: "Hilfe", filters: {}, sort: "relevance", page: 1, perPage: 10 });
        expect(result).toMatchObject({ engine: "meilisearch", degraded: false });
        expect(server.requestsTo("POST", /\/search$/).map((request) => request.authorization)).toEqual([`Bearer ${keys.search}`]);
        expect(() => setEnvForTests({ MEILI_SEARCH_API_KEY: "short" })).toThrow(/MEILI_SEARCH_API_KEY/);
      } finally {
        setEnvForTests({ MEILI_HOST: undefined, MEILI_API_KEY: undefined, MEILI_SEARCH_API_KEY: undefined });
      }
    });
  });

  it("gives up on a request that takes longer than its timeout, and on a task that does not finish in time", async () => {
    await withStandIn({}, async (server) => {
      const meili = createMeilisearchEngine({ host: server.url, indexPrefix: "w_", timeoutMs: 200, taskTimeoutMs: 300 });
      await meili.index("posts", postDocuments);
      let release = () => {};
      server.onRequest((request) =>
        request.path.endsWith("/search") ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve(),
      );
      const started = Date.now();
      const slow = await meili
        .search({ index: "posts", query: "", filters: {}, sort: "relevance", page: 1, perPage: 10 })
        .catch((error: unknown) => error);
      expect(slow).toBeInstanceOf(MeilisearchRequestError);
      expect((slow as Error).cause).toBeInstanceOf(MeilisearchRequestTimeOutError);
      expect(Date.now() - started).toBeLessThan(3000);
      release();
      server.onRequest(undefined);
      server.pauseTasks(true);
      await expect(meili.index("posts", postDocuments)).rejects.toBeInstanceOf(MeilisearchTaskTimeOutError);
      server.pauseTasks(false);
    });
  });
});
