import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createPageCache } from "./page-cache.server";

// A real express server whose page handler counts renders and stamps each with its own nonce, as Remix does.
async function startServer(ttlSeconds: number, maxEntries = 100, maxBytes?: number) {
  const cache = createPageCache({ ttlSeconds, maxEntries, maxBytes });
  let renders = 0;
  const app = express();
  app.use(cache.middleware);
  app.post("/posts/new", (_req, res) => {
    res.status(303).setHeader("Location", "/").end();
  });
  app.get("*", (req, res) => {
    renders++;
    const nonce = `nonce${renders}abc`;
    if (req.query.personal) res.setHeader("Set-Cookie", "nl_session=x");
    res.status(req.query.missing ? 404 : 200);
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.setHeader("Content-Security-Policy", `script-src 'self' 'nonce-${nonce}'`);
    res.write(`<html><body>render ${renders} of ${req.originalUrl}`);
    res.end(`<script nonce="${nonce}">1</script></body></html>`);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { cache, base, renders: () => renders, close: () => new Promise((resolve) => server.close(resolve)) };
}

let current: Awaited<ReturnType<typeof startServer>> | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

const nonceInBody = (body: string) => body.match(/nonce="([^"]+)"/)?.[1];
const nonceInPolicy = (policy: string | null) => policy?.match(/'nonce-([^']+)'/)?.[1];

describe("page micro-cache", () => {
  it("renders an anonymous public page once and serves copies with a fresh nonce each", async () => {
    current = await startServer(60);
    const first = await fetch(`${current.base}/search?q=holz`);
    const firstBody = await first.text();
    expect(first.headers.get("x-page-cache")).toBe("miss");
    const second = await fetch(`${current.base}/search?q=holz`);
    const secondBody = await second.text();
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(current.renders()).toBe(1);
    expect(secondBody.replace(/nonce="[^"]+"/, "")).toBe(firstBody.replace(/nonce="[^"]+"/, ""));
    // the copy's script nonce is new, and the policy allows exactly that nonce
    expect(nonceInBody(secondBody)).not.toBe(nonceInBody(firstBody));
    expect(nonceInPolicy(second.headers.get("content-security-policy"))).toBe(nonceInBody(secondBody));
    expect(second.headers.get("content-type")).toContain("text/html");
  });

  it("keeps languages and URLs apart", async () => {
    current = await startServer(60);
    await fetch(`${current.base}/search?q=holz`, { headers: { "accept-language": "en" } });
    await fetch(`${current.base}/search?q=holz`, { headers: { "accept-language": "de" } });
    // the English cookie means the same English page as Accept-Language: en
    await fetch(`${current.base}/search?q=holz`, { headers: { cookie: "nl_lang=ImVuIg%3D%3D" } });
    await fetch(`${current.base}/search?q=metall`, { headers: { "accept-language": "en" } });
    expect(current.renders()).toBe(3);
    await fetch(`${current.base}/search?q=holz`, { headers: { "accept-language": "en-GB,en;q=0.9" } });
    expect(current.renders()).toBe(3);
  });

  it("never serves or stores a page for someone with a session", async () => {
    current = await startServer(60);
    await fetch(`${current.base}/`);
    const signedIn = await fetch(`${current.base}/`, { headers: { cookie: "nl_session=abc; nl_lang=ImRlIg%3D%3D" } });
    expect(signedIn.headers.get("x-page-cache")).toBeNull();
    expect(await signedIn.text()).toContain("render 2");
    expect(current.renders()).toBe(2);
  });

  it("stores only 200 HTML without Set-Cookie, and only public pages", async () => {
    current = await startServer(60);
    for (let i = 0; i < 2; i++) {
      await fetch(`${current.base}/posts/1?missing=1`);
      await fetch(`${current.base}/posts/2?personal=1`);
      await fetch(`${current.base}/matches`);
      await fetch(`${current.base}/search?q=a&_data=routes%2Fsearch`);
    }
    expect(current.renders()).toBe(8);
    expect(current.cache.size).toBe(0);
  });

  it("expires its copies when a signed-in person changes something, not on anonymous or failed posts", async () => {
    current = await startServer(60);
    await fetch(`${current.base}/`);
    await fetch(`${current.base}/posts/new`, { method: "POST", redirect: "manual" });
    expect(await (await fetch(`${current.base}/`)).text()).toContain("render 1");
    await fetch(`${current.base}/posts/new`, { method: "POST", redirect: "manual", headers: { cookie: "nl_session=abc" } });
    const after = await fetch(`${current.base}/`);
    expect(after.headers.get("x-page-cache")).toBe("miss");
    expect(await after.text()).toContain("render 2");
  });

  it("reads the language cookie as the app does, and ignores one it cannot read", async () => {
    current = await startServer(60);
    const en = "ImVuIg%3D%3D"; // "en", as Remix encodes it
    await fetch(`${current.base}/search?q=holz`, { headers: { cookie: `nl_lang=${en}`, "accept-language": "de" } });
    await fetch(`${current.base}/search?q=holz`, { headers: { "accept-language": "en" } });
    expect(current.renders()).toBe(1);
    // an unreadable cookie falls back to Accept-Language, like requestLocale
    await fetch(`${current.base}/search?q=holz`, { headers: { cookie: "nl_lang=bogus", "accept-language": "de" } });
    await fetch(`${current.base}/search?q=holz`, { headers: { cookie: "nl_lang=bogus", "accept-language": "en" } });
    expect(current.renders()).toBe(2);
  });

  it("holds no more than its byte budget", async () => {
    current = await startServer(60, 100, 600);
    for (const id of [1, 2, 3, 4]) await fetch(`${current.base}/posts/${id}`);
    // each page is about 100 characters (200 bytes counted): at most 3 fit
    expect(current.cache.size).toBeLessThanOrEqual(3);
    expect(current.cache.size).toBeGreaterThan(0);
  });

  it("renders again after the time to live, and holds at most maxEntries pages", async () => {
    current = await startServer(1, 2);
    await fetch(`${current.base}/posts/1`);
    await fetch(`${current.base}/posts/2`);
    await fetch(`${current.base}/posts/3`);
    expect(current.cache.size).toBe(2);
    await fetch(`${current.base}/posts/1`);
    expect(current.renders()).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await fetch(`${current.base}/posts/1`);
    expect(expired.headers.get("x-page-cache")).toBe("miss");
    expect(current.renders()).toBe(5);
  });

  it("is off with a time to live of 0", async () => {
    current = await startServer(0);
    await fetch(`${current.base}/`);
    await fetch(`${current.base}/`);
    expect(current.renders()).toBe(2);
  });
});
