import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { setEnvForTests } from "~/lib/env.server";
import { createHttpServer } from "~/server/http-server.server";
import { assembleServerBuild } from "./helpers/app-server";
import { useTestDatabase } from "./helpers/database";

useTestDatabase();

async function serve(overrides: Record<string, string | undefined>) {
  setEnvForTests({ NODE_ENV: "development", WORKERS: "off", APP_URL: undefined, PORT: "3000", ...overrides });
  const server = createHttpServer(await assembleServerBuild());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("one address in development", () => {
  it("sends a browser on 127.0.0.1 to the address the links use, and leaves that address and POSTs alone", async () => {
    const app = await serve({});
    try {
      const moved = await fetch(`http://127.0.0.1:${app.port}/search?q=Keramik`, { redirect: "manual" });
      expect(moved.status).toBe(302);
      expect(moved.headers.get("location")).toBe("http://localhost:3000/search?q=Keramik");
      // fetch may not set Host; a plain request can, as a browser on localhost:3000 would
      const canonical = await new Promise<number>((resolve, reject) =>
        http
          .get({ host: "127.0.0.1", port: app.port, path: "/healthz", headers: { host: "localhost:3000" } }, (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          })
          .on("error", reject),
      );
      expect(canonical).toBe(200);
      const post = await fetch(`http://127.0.0.1:${app.port}/login`, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({ email: "a@example.org" }),
      });
      // the form is handled here (its own answer), not moved to the other address
      expect(post.headers.get("location") ?? "").not.toMatch(/^http:\/\/localhost:3000/);
    } finally {
      await app.close();
    }
  });

  it("serves every address as it is when APP_URL is set", async () => {
    const app = await serve({ APP_URL: `http://127.0.0.1:4321` });
    try {
      const response = await fetch(`http://127.0.0.1:${app.port}/healthz`, { redirect: "manual" });
      expect(response.status).toBe(200);
    } finally {
      await app.close();
      setEnvForTests({ NODE_ENV: "test", WORKERS: "off" });
    }
  });
});
