import crypto from "node:crypto";
import { db } from "~/lib/db.server";
import { clientAddress } from "~/lib/http.server";
import { takeRateLimit, type RateLimit } from "~/lib/rate-limit.server";

/** Shared caches may keep a feed for five minutes; clients revalidate with the ETag after that. */
const CACHE_CONTROL = "public, max-age=300";

const COMMON_HEADERS = {
  "Cache-Control": CACHE_CONTROL,
  // Open data: any site may read the feeds from the browser (they carry no cookies' worth of private data).
  "Access-Control-Allow-Origin": "*",
};

export function jsonError(status: number, message: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ error: message }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*", ...headers },
  });
}

export const FEED_REQUESTS_PER_MINUTE = 60;

/** Both open-data feeds share one budget per client address, counted in PostgreSQL so all instances share it. */
const FEED_LIMIT: RateLimit = { scope: "feeds", limit: FEED_REQUESTS_PER_MINUTE, windowSeconds: 60 };

/** The clock the feed limit counts with; tests set a fixed one. */
export const feedClock = { now: () => new Date() };

/** A 429 when the client address has used its budget, else undefined. */
export async function rateLimitResponse(request: Request): Promise<Response | undefined> {
  const decision = await takeRateLimit(db(), FEED_LIMIT, clientAddress(request), feedClock.now());
  if (decision.allowed) return undefined;
  return jsonError(429, `too many requests: try again in ${decision.retryAfterSeconds} s`, {
    "Retry-After": String(decision.retryAfterSeconds),
  });
}

export function entityTag(body: string) {
  return `"${crypto.createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

function ifNoneMatchHits(header: string, etag: string) {
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

/** Whole seconds, as HTTP dates carry them. */
function notModifiedSince(header: string, lastModified: Date) {
  const since = Date.parse(header);
  if (Number.isNaN(since)) return false;
  return Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

/**
 * The feed body with its validators, or 304 when the client's copy is current. If-None-Match wins over
 * If-Modified-Since (RFC 9110 §13.2.2): the tag also notices removals that leave no newer timestamp.
 */
export function cachedResponse(request: Request, body: string, contentType: string, lastModified: Date | null) {
  const etag = entityTag(body);
  const headers: Record<string, string> = { ...COMMON_HEADERS, ETag: etag };
  if (lastModified) headers["Last-Modified"] = lastModified.toUTCString();
  const ifNoneMatch = request.headers.get("if-none-match");
  const ifModifiedSince = request.headers.get("if-modified-since");
  const fresh = ifNoneMatch
    ? ifNoneMatchHits(ifNoneMatch, etag)
    : Boolean(ifModifiedSince && lastModified && notModifiedSince(ifModifiedSince, lastModified));
  if (fresh) return new Response(null, { status: 304, headers });
  return new Response(body, {
    status: 200,
    headers: { ...headers, "Content-Type": contentType },
  });
}
