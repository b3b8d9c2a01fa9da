/**
 * REQUEST_TIMING (bench:load's time split): off, the server answers as always; on, a page gets a Server-Timing
 * header and /bench/timing adds up its SQL statements, loaders and render per route. And the statement counting
 * of timedSql itself.
 */
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { db, useDatabase } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";
import { newRequestTiming, runWithTiming, timedSql } from "~/lib/request-timing.server";
import { createHttpServer } from "~/server/http-server.server";
import { assembleServerBuild } from "./helpers/app-server";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";

const holder = useTestDatabase();

async function serve(overrides: Record<string, string | undefined>) {
  setEnvForTests({ NODE_ENV: "test", WORKERS: "off", ...overrides });
  const server = createHttpServer(await assembleServerBuild());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Summary = {
  cpuMs: number;
  routes: Record<string, { requests: number; queries: number; sql: number; sqlWall: number; render: number; total: number }>;
};

describe("REQUEST_TIMING", () => {
  it("is off by default: no Server-Timing header and no /bench/timing", async () => {
    const author = await createPerson();
    const postId = await createTestPost(author.id, { title: "Drechselbank zu verleihen" });
    const app = await serve({});
    try {
      const page = await fetch(`${app.url}/posts/${postId}`);
      expect(page.status).toBe(200);
      expect(page.headers.get("server-timing")).toBeNull();
      expect((await fetch(`${app.url}/bench/timing`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it("on: a rendered page says where its time went, and /bench/timing adds it to its route", async () => {
    const author = await createPerson();
    const postId = await createTestPost(author.id, { title: "Bandsäge zu verleihen" });
    // as boot does with REQUEST_TIMING=on: the process's client times every statement
    useDatabase({ ...holder.database, sql: timedSql(holder.database.sql) });
    const app = await serve({ REQUEST_TIMING: "on", PAGE_CACHE_SECONDS: "5" });
    try {
      const page = await fetch(`${app.url}/posts/${postId}`);
      expect(page.status).toBe(200);
      const header = page.headers.get("server-timing") ?? "";
      expect(header).toMatch(/sql;dur=[\d.]+/);
      expect(header).toMatch(/render;dur=[\d.]+/);
      const queries = Number(header.match(/queries;desc="(\d+)"/)?.[1]);
      expect(queries).toBeGreaterThan(0);
      await page.text(); // stored in the page cache once sent

      // the same anonymous page again comes from the page cache, which does not keep the first one's timing
      const again = await fetch(`${app.url}/posts/${postId}`);
      expect(again.headers.get("x-page-cache")).toBe("hit");
      expect(again.headers.get("server-timing")).toBeNull();

      const summary = (await (await fetch(`${app.url}/bench/timing?reset=1`)).json()) as Summary;
      const post = summary.routes["routes/post"];
      expect(post?.requests).toBe(1);
      expect(post?.queries).toBe(queries);
      expect(post?.sqlWall).toBeLessThanOrEqual(post?.total ?? 0);
      expect(summary.routes.cached?.requests).toBe(1);
      const cleared = (await (await fetch(`${app.url}/bench/timing`)).json()) as Summary;
      expect(cleared.routes).toEqual({});
    } finally {
      await app.close();
      useDatabase(holder.database);
      setEnvForTests({ NODE_ENV: "test", WORKERS: "off" });
    }
  });
});

describe("timedSql", () => {
  it("counts every awaited statement of the current request, a transaction's begin and commit included, and no fragments", async () => {
    const sql = timedSql(db());
    const timing = newRequestTiming();
    await runWithTiming(timing, async () => {
      await Promise.all([sql`select 1`, sql`select ${sql`2`} as two`]);
      await sql.begin(async (tx) => {
        await tx`select 3`;
      });
      await sql.unsafe("select 4");
      // postgres.js's pipeline form: an array of statements
      const pipelined = await sql.begin((tx) => [tx`select 5 as five`, tx`select 6 as six`]);
      expect(pipelined.map((rows) => rows[0])).toEqual([{ five: 5 }, { six: 6 }]);
    });
    // 2 + (begin, select 3, commit) + 1 + (begin, select 5, select 6, commit)
    expect(timing.queries).toBe(10);
    expect(timing.inFlight).toBe(0);
    // overlapping statements count once in the wall time, each in the sum
    expect(timing.sqlWallMs).toBeGreaterThan(0);
    expect(timing.sqlMs).toBeGreaterThan(0);

    // outside a request nothing is counted
    const untouched = newRequestTiming();
    await sql`select 7`;
    expect(untouched.queries).toBe(0);
  });
});
