/**
 * The Meilisearch stand-in (tests/stand-ins/meilisearch.ts) behaves as Meilisearch's documentation says, so the
 * adapter's tests can fail for the reasons a real server would fail it. Plain HTTP, no adapter, no database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMeilisearchStandIn, type MeilisearchStandIn } from "./stand-ins/meilisearch";

let current: MeilisearchStandIn;
let old: MeilisearchStandIn;

beforeAll(async () => {
  current = await startMeilisearchStandIn({ version: "1.18.0", taskDelayMs: 20 });
  old = await startMeilisearchStandIn({ version: "1.12.0", taskDelayMs: 1 });
});

afterAll(async () => {
  await current.close();
  await old.close();
});

async function call(server: MeilisearchStandIn, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function taskDone(server: MeilisearchStandIn, taskUid: unknown) {
  for (let i = 0; i < 500; i++) {
    const { body } = await call(server, "GET", `/tasks/${String(taskUid)}`);
    if (body.status === "succeeded" || body.status === "failed") return body;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`task ${String(taskUid)} did not finish`);
}

const errorShape = (code: string) => ({
  code,
  message: expect.any(String),
  type: expect.any(String),
  link: `https://docs.meilisearch.com/errors#${code}`,
});

const people = [
  { id: "1", name: "Ada Holz", bio: "Zimmerei", role: "craftsperson", skills: ["1", "2"], created: 10, remote: false },
  { id: "2", name: "Ben Stein", bio: "Holz und Stein", role: "startup", skills: ["2"], created: 30, remote: true },
  { id: "3", name: "Cleo Glas", bio: "Glas", role: "scientist", skills: ["3"], created: 20, remote: false },
  { id: "4", name: "Dora Holz", bio: "Holz", role: "artist", skills: [], created: 40, remote: false },
];

async function fill(server: MeilisearchStandIn, uid: string, rankingRules: string[]) {
  const settings = await call(server, "PATCH", `/indexes/${uid}/settings`, {
    searchableAttributes: ["name", "bio"],
    filterableAttributes: ["role", "skills", "created", "remote"],
    sortableAttributes: ["created"],
    rankingRules,
  });
  await taskDone(server, settings.body.taskUid);
  const added = await call(server, "POST", `/indexes/${uid}/documents`, people);
  await taskDone(server, added.body.taskUid);
}

const ids = (body: Record<string, unknown>) => (body.hits as { id: string }[]).map((hit) => hit.id);

describe("Meilisearch stand-in", () => {
  it("answers its configured version", async () => {
    expect((await call(old, "GET", "/version")).body).toMatchObject({ pkgVersion: "1.12.0" });
    expect((await call(current, "GET", "/version")).body).toMatchObject({ pkgVersion: "1.18.0" });
  });

  it("runs writes as asynchronous tasks: enqueued, processing, then succeeded or failed", async () => {
    // Paused, the server keeps the task enqueued (a busy Meilisearch); resumed, it runs it.
    current.pauseTasks(true);
    const enqueued = await call(current, "POST", "/indexes", { uid: "tasks", primaryKey: "id" });
    expect(enqueued.status).toBe(202);
    expect(enqueued.body).toMatchObject({ status: "enqueued", type: "indexCreation", indexUid: "tasks" });
    expect((await call(current, "GET", `/tasks/${String(enqueued.body.taskUid)}`)).body.status).toBe("enqueued");
    current.pauseTasks(false);
    const order = ["enqueued", "processing", "succeeded"];
    const seen: string[] = [];
    for (let i = 0; i < 400 && !seen.includes("succeeded"); i++) {
      const status = String((await call(current, "GET", `/tasks/${String(enqueued.body.taskUid)}`)).body.status);
      if (seen.at(-1) !== status) seen.push(status);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    // Polling may miss the short processing state on a busy machine, but never sees the states out of order.
    expect(seen.at(-1)).toBe("succeeded");
    expect(seen.map((status) => order.indexOf(status))).toEqual([...seen.map((status) => order.indexOf(status))].sort());
    // Not yet applied while enqueued: a search right after the request does not see the documents.
    current.pauseTasks(true);
    const added = await call(current, "POST", "/indexes/tasks/documents", [{ id: "a", title: "x" }]);
    expect(current.documents.get("tasks")?.size).toBe(0);
    current.pauseTasks(false);
    await taskDone(current, added.body.taskUid);
    expect(current.documents.get("tasks")?.size).toBe(1);
    // A second creation fails as a task, with Meilisearch's error object.
    const again = await call(current, "POST", "/indexes", { uid: "tasks" });
    expect(await taskDone(current, again.body.taskUid)).toMatchObject({ status: "failed", error: errorShape("index_already_exists") });
    expect((await call(current, "GET", "/tasks/999999")).status).toBe(404);
  });

  it("refuses unknown settings, and settings newer than its version, with Meilisearch's error JSON", async () => {
    const unknown = await call(current, "PATCH", "/indexes/tasks/settings", { rankingRulez: ["words"] });
    expect(unknown).toEqual({ status: 400, body: errorShape("bad_request") });
    expect(unknown.body.message).toMatch(/^Unknown field `rankingRulez`/);
    const wrongRule = await call(current, "PATCH", "/indexes/tasks/settings", { rankingRules: ["words", "newest"] });
    expect(wrongRule).toEqual({ status: 400, body: errorShape("invalid_settings_ranking_rules") });
    const ancient = await startMeilisearchStandIn({ version: "1.9.0" });
    try {
      expect((await call(ancient, "PATCH", "/indexes/x/settings", { localizedAttributes: [] })).body).toMatchObject({
        code: "bad_request",
      });
      expect((await call(ancient, "POST", "/indexes/x/search", { q: "x", locales: ["deu"] })).body).toMatchObject({ code: "bad_request" });
    } finally {
      await ancient.close();
    }
  });

  it("refuses `rename` in an index swap before 1.18 (even false), and swaps or renames from 1.18 on", async () => {
    for (const uid of ["a", "b"]) await taskDone(old, (await call(old, "POST", "/indexes", { uid })).body.taskUid);
    const refused = await call(old, "POST", "/swap-indexes", [{ indexes: ["a", "b"], rename: false }]);
    expect(refused).toEqual({ status: 400, body: errorShape("bad_request") });
    expect(refused.body.message).toMatch(/^Unknown field `rename`/);
    expect(await taskDone(old, (await call(old, "POST", "/swap-indexes", [{ indexes: ["a", "b"] }])).body.taskUid)).toMatchObject({
      status: "succeeded",
    });
    // Swapping with an index that does not exist fails as a task.
    expect(await taskDone(old, (await call(old, "POST", "/swap-indexes", [{ indexes: ["a", "nope"] }])).body.taskUid)).toMatchObject({
      status: "failed",
      error: errorShape("index_not_found"),
    });

    await taskDone(current, (await call(current, "POST", "/indexes", { uid: "from" })).body.taskUid);
    const renamed = await call(current, "POST", "/swap-indexes", [{ indexes: ["from", "to"], rename: true }]);
    expect(await taskDone(current, renamed.body.taskUid)).toMatchObject({ status: "succeeded" });
    expect(current.documents.has("to")).toBe(true);
    expect(current.documents.has("from")).toBe(false);
  });

  it("filters with =, IN, NOT IN, >, AND, OR and arrays, on filterable attributes only", async () => {
    await fill(old, "filters", ["words", "typo", "proximity", "attribute", "sort", "exactness"]);
    const filter = async (expression: unknown) =>
      ids((await call(old, "POST", "/indexes/filters/search", { q: null, filter: expression })).body).sort();
    expect(await filter('role = "startup"')).toEqual(["2"]);
    expect(await filter('skills IN ["2", "3"]')).toEqual(["1", "2", "3"]);
    expect(await filter('role NOT IN ["startup", "artist"]')).toEqual(["1", "3"]);
    expect(await filter("created > 20")).toEqual(["2", "4"]);
    expect(await filter("remote = true")).toEqual(["2"]);
    expect(await filter(['skills IN ["2"]', "created > 10"])).toEqual(["2"]);
    expect(await filter([['role = "artist"', 'role = "scientist"'], "created > 25"])).toEqual(["4"]);
    expect(await filter('(role = "artist" OR role = "scientist") AND NOT created > 25')).toEqual(["3"]);
    expect(await filter('role = "Startup\\" OR role = \\"artist"')).toEqual([]);
    const refused = await call(old, "POST", "/indexes/filters/search", { q: null, filter: 'name = "Ada Holz"' });
    expect(refused).toEqual({ status: 400, body: errorShape("invalid_search_filter") });
    expect(refused.body.message).toMatch(/Attribute `name` is not filterable/);
    expect((await call(old, "POST", "/indexes/filters/search", { q: null, sort: ["name:asc"] })).body).toMatchObject({
      code: "invalid_search_sort",
    });
    expect((await call(old, "POST", "/indexes/filters/search", { q: null, facets: ["name"] })).body).toMatchObject({
      code: "invalid_search_facets",
    });
    expect((await call(old, "POST", "/indexes/filters/search", { q: null, rankingScore: true })).body).toMatchObject({
      code: "bad_request",
    });
    // Deleting by a filter on an attribute that is not filterable fails as a task.
    const deletion = await call(old, "POST", "/indexes/filters/documents/delete", { filter: 'name IN ["Ada Holz"]' });
    expect(await taskDone(old, deletion.body.taskUid)).toMatchObject({ status: "failed", error: errorShape("invalid_document_filter") });
  });

  it("ranks by its ranking rules in their order: words, typos, attribute, sort, custom rules", async () => {
    await fill(old, "relevance_first", ["words", "typo", "proximity", "attribute", "sort", "exactness", "created:desc"]);
    await fill(old, "sort_first", ["sort", "words", "typo", "proximity", "attribute", "exactness"]);
    const search = async (uid: string, body: Record<string, unknown>) =>
      ids((await call(old, "POST", `/indexes/${uid}/search`, body)).body);
    // "Holz" in the name (Ada, Dora) before "Holz" only in the bio (Ben); equals newest first (created:desc).
    expect(await search("relevance_first", { q: "Holz" })).toEqual(["4", "1", "2"]);
    // Attribute comes before sort here: the sort only orders within equal relevance.
    expect(await search("relevance_first", { q: "Holz", sort: ["created:asc"] })).toEqual(["1", "4", "2"]);
    // Sort first: the sort wins over relevance.
    expect(await search("sort_first", { q: "Holz", sort: ["created:desc"] })).toEqual(["4", "2", "1"]);
    // More query words first ("last" drops words from the end); a typo ranks below the exact word.
    expect(await search("relevance_first", { q: "Holz Stein" })).toEqual(["2", "4", "1"]);
    expect(await search("relevance_first", { q: "Holz Stein", matchingStrategy: "all" })).toEqual(["2"]);
    expect(await search("relevance_first", { q: "Zimmerie" })).toEqual(["1"]);
    expect(await search("relevance_first", { q: "Gla" })).toEqual(["3"]);
    expect(await search("relevance_first", { q: "Nichts" })).toEqual([]);
  });
});
