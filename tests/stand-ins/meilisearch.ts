/**
 * STAND-IN, NOT MEILISEARCH. A local HTTP server that answers the handful of Meilisearch API calls the
 * adapter makes, so its requests can be checked without a Meilisearch server (none can be installed here).
 * It records every request (settings, documents, search bodies with their filters), keeps documents per
 * index (deletion by filter understands only `attribute IN [...]`), and finishes every task as "succeeded" — or as "failed" when told to. It does NOT search: a search
 * returns the index's documents in insertion order, paged, with naive facet counts over all of them.
 * Behaviour (typos, languages, filters) is tested against the real engines in tests/search-engine.test.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedRequest = { method: string; path: string; query: Record<string, string>; body: unknown };

type Task = { uid: number; indexUid: string | null; type: string; status: "succeeded" | "failed"; error: unknown };

export type MeilisearchStandIn = {
  url: string;
  requests: RecordedRequest[];
  /** Documents per index uid, by primary key. */
  documents: Map<string, Map<string, Record<string, unknown>>>;
  settings: Map<string, Record<string, unknown>>;
  /** "fail": every task ends as failed; "ok": as succeeded. */
  setTaskOutcome: (outcome: "ok" | "fail") => void;
  /** Unreachable: connections are dropped without an answer. */
  setUnreachable: (unreachable: boolean) => void;
  requestsTo: (method: string, pathPattern: RegExp) => RecordedRequest[];
  /** Runs before each answer (the answer waits for it): lets a test look at the caller while it waits. */
  onRequest: (hook: ((request: RecordedRequest) => Promise<void>) | undefined) => void;
  close: () => Promise<void>;
};

export async function startMeilisearchStandIn(): Promise<MeilisearchStandIn> {
  const requests: RecordedRequest[] = [];
  const documents = new Map<string, Map<string, Record<string, unknown>>>();
  const settings = new Map<string, Record<string, unknown>>();
  const tasks = new Map<number, Task>();
  let outcome: "ok" | "fail" = "ok";
  let unreachable = false;
  let nextTaskUid = 1;
  let hook: ((request: RecordedRequest) => Promise<void>) | undefined;

  const indexDocuments = (uid: string) => {
    let found = documents.get(uid);
    if (!found) documents.set(uid, (found = new Map()));
    return found;
  };

  /** Enqueues a task; the change itself happens only if the task is to succeed, as in Meilisearch. */
  function enqueue(indexUid: string | null, type: string, change: () => void) {
    const task: Task = {
      uid: nextTaskUid++,
      indexUid,
      type,
      status: outcome === "ok" ? "succeeded" : "failed",
      error: outcome === "ok" ? null : { message: "stand-in told to fail this task", code: "internal", type: "internal", link: "" },
    };
    if (task.status === "succeeded") change();
    tasks.set(task.uid, task);
    return { status: 202, body: { taskUid: task.uid, indexUid, status: "enqueued", type, enqueuedAt: new Date().toISOString() } };
  }

  function search(uid: string, body: Record<string, unknown>) {
    const all = [...indexDocuments(uid).values()];
    const page = Number(body.page ?? 1);
    const hitsPerPage = Number(body.hitsPerPage ?? 20);
    const facetDistribution: Record<string, Record<string, number>> = {};
    for (const facet of (body.facets as string[] | undefined) ?? []) {
      const counts: Record<string, number> = {};
      for (const document of all) {
        const value = document[facet];
        for (const item of Array.isArray(value) ? value : [value]) {
          if (item === null || item === undefined) continue;
          counts[String(item)] = (counts[String(item)] ?? 0) + 1;
        }
      }
      facetDistribution[facet] = counts;
    }
    return {
      hits: all.slice((page - 1) * hitsPerPage, page * hitsPerPage),
      query: body.q ?? "",
      processingTimeMs: 0,
      hitsPerPage,
      page,
      totalPages: Math.ceil(all.length / hitsPerPage),
      totalHits: all.length,
      facetDistribution,
    };
  }

  function route(method: string, path: string, body: unknown): { status: number; body: unknown } {
    let match: RegExpMatchArray | null;
    if (method === "GET" && path === "/health") return { status: 200, body: { status: "available" } };
    if (method === "GET" && (match = path.match(/^\/tasks\/(\d+)$/))) {
      const task = tasks.get(Number(match[1]));
      if (!task) return { status: 404, body: { message: "task not found", code: "task_not_found", type: "invalid_request", link: "" } };
      const now = new Date().toISOString();
      return { status: 200, body: { ...task, canceledBy: null, batchUid: null, details: {}, duration: "PT0S", enqueuedAt: now, startedAt: now, finishedAt: now } };
    }
    if (method === "POST" && path === "/indexes") {
      const { uid } = body as { uid: string };
      if (documents.has(uid)) {
        const task = enqueue(uid, "indexCreation", () => {});
        const stored = tasks.get((task.body as { taskUid: number }).taskUid);
        if (stored) Object.assign(stored, { status: "failed", error: { message: `Index \`${uid}\` already exists.`, code: "index_already_exists", type: "invalid_request", link: "" } });
        return task;
      }
      return enqueue(uid, "indexCreation", () => indexDocuments(uid));
    }
    if (method === "DELETE" && (match = path.match(/^\/indexes\/([^/]+)$/))) {
      const uid = match[1];
      return enqueue(uid, "indexDeletion", () => {
        documents.delete(uid);
        settings.delete(uid);
      });
    }
    if (method === "PATCH" && (match = path.match(/^\/indexes\/([^/]+)\/settings$/))) {
      const uid = match[1];
      return enqueue(uid, "settingsUpdate", () => settings.set(uid, { ...(settings.get(uid) ?? {}), ...(body as object) }));
    }
    if ((method === "POST" || method === "PUT") && (match = path.match(/^\/indexes\/([^/]+)\/documents$/))) {
      const uid = match[1];
      return enqueue(uid, "documentAdditionOrUpdate", () => {
        for (const document of body as Record<string, unknown>[]) indexDocuments(uid).set(String(document.id), document);
      });
    }
    if (method === "POST" && (match = path.match(/^\/indexes\/([^/]+)\/documents\/delete-batch$/))) {
      const uid = match[1];
      return enqueue(uid, "documentDeletion", () => {
        for (const id of body as (string | number)[]) indexDocuments(uid).delete(String(id));
      });
    }
    if (method === "POST" && (match = path.match(/^\/indexes\/([^/]+)\/documents\/delete$/))) {
      // Only the one filter form the adapter sends: `attribute IN ["a", "b"]`.
      const uid = match[1];
      const filter = String((body as { filter?: unknown }).filter ?? "");
      const parsed = filter.match(/^(\w+) IN \[(.*)\]$/);
      if (!parsed) return { status: 400, body: { message: `stand-in cannot read filter ${filter}`, code: "invalid_document_filter", type: "invalid_request", link: "" } };
      const values = JSON.parse(`[${parsed[2]}]`) as string[];
      return enqueue(uid, "documentDeletion", () => {
        for (const [id, document] of indexDocuments(uid)) if (values.includes(String(document[parsed[1]]))) indexDocuments(uid).delete(id);
      });
    }
    if (method === "POST" && (match = path.match(/^\/indexes\/([^/]+)\/search$/))) {
      if (!documents.has(match[1])) return { status: 404, body: { message: `Index \`${match[1]}\` not found.`, code: "index_not_found", type: "invalid_request", link: "" } };
      return { status: 200, body: search(match[1], body as Record<string, unknown>) };
    }
    if (method === "POST" && path === "/swap-indexes") {
      return enqueue(null, "indexSwap", () => {
        for (const { indexes } of body as { indexes: [string, string] }[]) {
          const [a, b] = indexes;
          const documentsA = indexDocuments(a);
          documents.set(a, indexDocuments(b));
          documents.set(b, documentsA);
          const settingsA = settings.get(a);
          settings.set(a, settings.get(b) ?? {});
          settings.set(b, settingsA ?? {});
        }
      });
    }
    return { status: 404, body: { message: `stand-in does not know ${method} ${path}`, code: "not_found", type: "invalid_request", link: "" } };
  }

  const server = http.createServer((request, response) => {
    if (unreachable) {
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://stand-in");
      const text = Buffer.concat(chunks).toString("utf8");
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      const method = request.method ?? "GET";
      const recorded = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body };
      requests.push(recorded);
      const answer = () => {
        const reply = route(method, url.pathname, body);
        response.writeHead(reply.status, { "content-type": "application/json" });
        response.end(JSON.stringify(reply.body));
      };
      if (hook) void hook(recorded).finally(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    documents,
    settings,
    setTaskOutcome: (next) => (outcome = next),
    setUnreachable: (next) => (unreachable = next),
    onRequest: (next) => (hook = next),
    requestsTo: (method, pattern) => requests.filter((request) => request.method === method && pattern.test(request.path)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
