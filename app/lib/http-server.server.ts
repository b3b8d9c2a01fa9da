import http from "node:http";
import path from "node:path";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { env } from "./env.server";
import { createPageCache } from "./page-cache.server";
import { BASE_SECURITY_HEADERS, isCrossOriginStateChange } from "./security.server";

/** The Node HTTP server: static assets, security headers, the cross-origin check, then Remix. */
export function createHttpServer(build: ServerBuild) {
  const app = express();
  app.disable("x-powered-by");
  if (env().trustProxy) app.set("trust proxy", true);

  app.use((req, res, next) => {
    // Only the socket decides the client address (used by rate limits); a client cannot supply it.
    req.headers["x-nl-client-ip"] = req.socket.remoteAddress ?? "unknown";
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
    // Remix appends its response headers; a document's own policy (with its nonce) must replace the strict
    // default instead of being added as a second, stricter policy.
    const append = res.append.bind(res);
    // The same holds for X-Frame-Options (the dev mailbox's framed email replaces DENY with SAMEORIGIN).
    const replaced = new Set(["content-security-policy", "x-frame-options"]);
    res.append = (field: string, value?: string | string[]) =>
      replaced.has(field.toLowerCase()) && value !== undefined ? res.setHeader(field, value) : append(field, value);
    if (isCrossOriginStateChange(req.method, req.path, req.headers.origin, req.headers.host)) {
      res.status(403).type("text/plain").send("Cross-origin request refused.");
      return;
    }
    next();
  });
  app.use(compression());
  const clientDir = path.resolve(process.cwd(), "build/client");
  app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(clientDir, { maxAge: "1h" }));
  // A fixed text from the same server, used by the load benchmark as the baseline.
  app.get("/bench/bare", (_req, res) => {
    res.type("text/plain").send("ok");
  });
  const pageCache = createPageCache({ ttlSeconds: env().PAGE_CACHE_SECONDS, maxEntries: env().PAGE_CACHE_ENTRIES });
  app.use(pageCache.middleware);
  app.all("*", createRequestHandler({ build }));
  return http.createServer(app);
}
