/**
 * A micro-cache for the public pages people see without signing in (home, search, posts, skill pages, city
 * picture): one process renders the same anonymous page (URL + language) at most once per `ttlSeconds`, and
 * serves the copy meanwhile. That is what lets a burst of visitors (a shared link, a newspaper article) cost one
 * database round and one render instead of thousands.
 *
 * - Only GET requests without a session: a request carrying any cookie other than the language choice passes
 *   through untouched, so nothing personal is ever stored or served from here.
 * - Only 200 HTML responses without Set-Cookie are stored.
 * - Each copy gets a fresh CSP nonce: the stored HTML and policy are split where the old nonce stood.
 * - A successful state change by a signed-in person (a non-GET request with a session that did not fail)
 *   expires every copy, so the change shows on the next view; anonymous POSTs (sign-in requests) change no
 *   public page and leave the cache alone. Changes made by another process show within ttlSeconds.
 * - When a copy expires, one request renders it again while the others keep getting the expired copy (at
 *   most one extra TTL), so an expiry under load costs one render, not one per waiting connection.
 */
import crypto from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { localeFromAcceptLanguage } from "~/lib/i18n";

const CACHEABLE_PATHS = [/^\/$/, /^\/search$/, /^\/posts\/\d+$/, /^\/skills\/[^/]+$/, /^\/stats$/, /^\/about$/, /^\/privacy$/];
const LANGUAGE_COOKIE = "nl_lang";
const SESSION_COOKIE = "nl_session";
const MAX_BODY_BYTES = 1024 * 1024;
/** Headers that describe one transfer, not the page. */
const TRANSFER_HEADERS = new Set([
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "date",
  "connection",
  "keep-alive",
  "etag",
  "server-timing",
]);

type Entry = {
  status: number;
  headers: [string, string][];
  /** the body split where the nonce stood; joined with a fresh one on each hit */
  bodyParts: string[];
  expiresAt: number;
  refreshing: boolean;
  bytes: number;
};

export type PageCacheOptions = { ttlSeconds: number; maxEntries: number; maxBytes?: number };
/** Memory bound across all copies (search URLs are unbounded in number). */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export type PageCache = {
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  clear: () => void;
  readonly size: number;
};

function cookieNames(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(";")
    .map((part) => (part.split("=")[0] ?? "").trim())
    .filter(Boolean);
}

/** The language the nl_lang cookie chooses (Remix cookie encoding: URI-encoded base64 of JSON), if valid. */
function languageCookie(header: string | undefined): string | undefined {
  const raw = header?.match(/(?:^|;\s*)nl_lang=([^;]*)/)?.[1];
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(decodeURIComponent(raw), "base64").toString("utf8"));
    return value === "de" || value === "en" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The cache key, or undefined when this request must not be served from or stored in the cache. */
export function pageCacheKey(req: Pick<Request, "method" | "path" | "originalUrl" | "query" | "headers">): string | undefined {
  if (req.method !== "GET") return undefined;
  if (!CACHEABLE_PATHS.some((pattern) => pattern.test(req.path))) return undefined;
  // Remix's client-side data requests answer with JSON for one route; they are cheap enough and vary by route.
  if ("_data" in req.query) return undefined;
  if (cookieNames(req.headers.cookie).some((name) => name !== LANGUAGE_COOKIE)) return undefined;
  // as requestLocale decides: a valid cookie, else Accept-Language, else German
  const language = languageCookie(req.headers.cookie) ?? localeFromAcceptLanguage(req.headers["accept-language"] ?? null) ?? "de";
  return `${language} ${req.originalUrl}`;
}

const newNonce = () => crypto.randomBytes(16).toString("base64");

function nonceOf(policy: string | undefined): string | undefined {
  return policy?.match(/'nonce-([^']+)'/)?.[1];
}

export function createPageCache(options: PageCacheOptions): PageCache {
  const entries = new Map<string, Entry>();
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let totalBytes = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    totalBytes -= entry.bytes;
    entries.delete(key);
  };

  function serve(res: Response, entry: Entry) {
    const nonce = newNonce();
    for (const [name, value] of entry.headers) res.setHeader(name, value.split("\u0000").join(nonce));
    res.setHeader("X-Page-Cache", "hit");
    res.status(entry.status).end(entry.bodyParts.join(nonce));
  }

  function store(key: string, res: Response, chunks: Buffer[]) {
    if (res.statusCode !== 200 || res.getHeader("set-cookie") !== undefined) return;
    if (!String(res.getHeader("content-type") ?? "").startsWith("text/html")) return;
    if (/no-store|private/.test(String(res.getHeader("cache-control") ?? ""))) return;
    const body = Buffer.concat(chunks).toString("utf8");
    if (body.length > MAX_BODY_BYTES) return;
    const nonce = nonceOf(res.getHeader("content-security-policy")?.toString());
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (value === undefined || TRANSFER_HEADERS.has(name) || name === "x-page-cache") continue;
      const text = Array.isArray(value) ? value.join(", ") : String(value);
      // \u0000 cannot occur in a header value, so it marks where the nonce goes
      headers.push([name, nonce ? text.split(nonce).join("\u0000") : text]);
    }
    remove(key);
    const bytes = body.length * 2;
    entries.set(key, {
      status: 200,
      headers,
      bodyParts: nonce ? body.split(nonce) : [body],
      expiresAt: Date.now() + options.ttlSeconds * 1000,
      refreshing: false,
      bytes,
    });
    totalBytes += bytes;
    // Map keeps insertion order: the first key is the one stored longest ago.
    while (entries.size > options.maxEntries || totalBytes > maxBytes) remove(entries.keys().next().value as string);
  }

  function middleware(req: Request, res: Response, next: NextFunction) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      if (cookieNames(req.headers.cookie).includes(SESSION_COOKIE)) {
        res.on("finish", () => {
          if (res.statusCode >= 400) return;
          // expired, not deleted: one request renders anew while the others still get the copy
          const now = Date.now();
          for (const entry of entries.values()) entry.expiresAt = Math.min(entry.expiresAt, now - 1);
        });
      }
      next();
      return;
    }
    const key = options.ttlSeconds > 0 ? pageCacheKey(req) : undefined;
    if (!key) {
      next();
      return;
    }
    const cached = entries.get(key);
    const now = Date.now();
    if (cached && (cached.expiresAt > now || (cached.refreshing && cached.expiresAt + options.ttlSeconds * 1000 > now))) {
      serve(res, cached);
      return;
    }
    if (cached) cached.refreshing = true;
    const chunks: Buffer[] = [];
    let size = 0;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function" || size > MAX_BODY_BYTES) return;
      const buffer = Buffer.isBuffer(chunk)
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
          : Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      size += buffer.length;
      chunks.push(Buffer.from(buffer));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response["write"];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as Response["end"];
    res.on("finish", () => {
      if (size <= MAX_BODY_BYTES) store(key, res, chunks);
      const entry = entries.get(key);
      if (entry && entry.expiresAt <= Date.now()) entry.refreshing = false;
    });
    res.setHeader("X-Page-Cache", "miss");
    next();
  }

  return {
    middleware,
    clear: () => {
      entries.clear();
      totalBytes = 0;
    },
    get size() {
      return entries.size;
    },
  };
}
