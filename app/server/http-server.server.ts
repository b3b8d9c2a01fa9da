import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import compression from "compression";
import express from "express";
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import { env } from "~/lib/env.server";
import { createPageCache } from "./page-cache.server";
import { requestLimits } from "~/lib/request-limits.server";
import { BASE_SECURITY_HEADERS, isCrossOriginStateChange, isOneClickUnsubscribe } from "~/lib/security.server";
import {
  createTimingTotals,
  currentTiming,
  markTiming,
  newRequestTiming,
  runWithTiming,
  serverTimingHeader,
  timingPhases,
} from "~/lib/request-timing.server";

/**
 * The Remix Request for an express request, as @remix-run/express builds it, except that the body is the one
 * requestLimits has already read and checked.
 */
function remixRequest(req: express.Request, res: express.Response): Request {
  // req.hostname respects "trust proxy"; the port comes from X-Forwarded-Host or Host
  const port = [req.get("X-Forwarded-Host"), req.get("host")]
    .map((value) => Number.parseInt(value?.split(":")[1] ?? "", 10))
    .find((value) => Number.isSafeInteger(value));
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  // One-click unsubscribe (RFC 8058) comes from the mail provider's servers with whatever Origin they send; the
  // signed token in the path authorises it and our cross-origin check exempts it, but Remix's own check on
  // document POSTs would throw (500). The Origin is dropped for this one path only.
  if (isOneClickUnsubscribe(req.method, req.path)) headers.delete("origin");
  let controller: AbortController | null = new AbortController();
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  const bodyStream = res.locals.bodyStream as Readable | undefined;
  if (bodyStream) {
    // a form with photos, counted by requestLimits while it streams in
    init.body = Readable.toWeb(bodyStream) as ReadableStream<Uint8Array>;
    init.duplex = "half";
  } else if (req.method !== "GET" && req.method !== "HEAD") {
    const body = (res.locals.body as Buffer | undefined) ?? Buffer.alloc(0);
    init.body = new Uint8Array(body);
  }
  return new Request(url.href, init);
}

async function sendRemixResponse(res: express.Response, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  const timing = currentTiming();
  if (timing) res.setHeader("Server-Timing", serverTimingHeader(timing));
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** The server build, or (in `npm run dev`) a function that loads the current one from Vite on each request. */
export type BuildSource = ServerBuild | (() => Promise<ServerBuild>);

function remixHandler(build: BuildSource): express.RequestHandler {
  const handle = createRequestHandler(build, process.env.NODE_ENV);
  return async (req, res, next) => {
    try {
      markTiming("remixAt");
      const response = await handle(remixRequest(req, res));
      // requestLimits already answered (413 for an upload that grew too large while it streamed)
      if (res.headersSent) return;
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** The Node HTTP server: security headers, the cross-origin check, request limits, static assets, then Remix. */
export function createHttpServer(build: BuildSource, options: { devMiddleware?: express.RequestHandler } = {}) {
  const app = express();
  app.disable("x-powered-by");
  if (env().trustProxy) app.set("trust proxy", true);
  if (env().REQUEST_TIMING === "on") app.use(requestTiming());

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
  app.use(requestLimits);
  const config = env();
  if (config.NODE_ENV === "development" && !config.appUrlExplicit) app.use(oneLoopbackAddress(config.APP_URL));
  app.use(compression());
  // `npm run dev`: Vite serves the browser modules with hot reload.
  if (options.devMiddleware) app.use(options.devMiddleware);
  const clientDir = path.resolve(process.cwd(), "build/client");
  app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
  // The files beside the assets (favicon.svg, anything in public/) all have an extension; a page's path never
  // does, and asking the file system about every page (a stat, then an error object when it is missing) cost
  // more than a tenth of a millisecond per request.
  const publicFiles = express.static(clientDir, { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));
  // A fixed text from the same server, used by the load benchmark as the baseline.
  app.get("/bench/bare", (_req, res) => {
    res.type("text/plain").send("ok");
  });
  const pageCache = createPageCache({ ttlSeconds: env().PAGE_CACHE_SECONDS, maxEntries: env().PAGE_CACHE_ENTRIES });
  app.use(pageCache.middleware);
  app.all("*", remixHandler(build));
  return http.createServer(app);
}

/**
 * REQUEST_TIMING=on (bench:load): every request runs with its own RequestTiming (see request-timing.server.ts);
 * when it finishes, its phases are added to its route's totals, which GET /bench/timing returns (and
 * /bench/timing?reset=1 returns and clears). Off by default: then neither this nor the endpoint exists.
 */
function requestTiming(): express.RequestHandler {
  const totals = createTimingTotals();
  return (req, res, next) => {
    if (req.method === "GET" && req.path === "/bench/timing") {
      const summary = totals.summary();
      if (req.query.reset === "1") totals.reset();
      res.setHeader("Cache-Control", "no-store");
      res.json(summary);
      return;
    }
    const timing = newRequestTiming();
    res.on("finish", () => {
      const label = res.getHeader("x-page-cache") === "hit" ? "cached" : (timing.route ?? "other");
      totals.record(label, timingPhases(timing));
    });
    runWithTiming(timing, next);
  };
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * In development on the default APP_URL (http://localhost:PORT), a browser that opened http://127.0.0.1:PORT is sent
 * to the address the app writes into its links, so the session cookie and sign-in links belong to one origin.
 * Only page views (GET/HEAD) from a loopback name move; other hosts and state changes are left alone.
 */
function oneLoopbackAddress(appUrl: string): express.RequestHandler {
  const canonical = new URL(appUrl);
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const host = req.headers.host ?? "";
    const hostname = host.replace(/:\d+$/, "");
    if (host === canonical.host || !LOOPBACK_NAMES.has(hostname)) return next();
    res.redirect(302, new URL(req.originalUrl, canonical).toString());
  };
}
