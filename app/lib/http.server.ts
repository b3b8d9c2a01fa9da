import { data, redirect } from "@remix-run/node";
import { env } from "./env.server";
import { isId } from "./ids";

/** The client's address: the socket's, or the first X-Forwarded-For hop when TRUST_PROXY=true. */
export function clientAddress(request: Request): string {
  if (env().trustProxy) {
    const forwarded = request.headers.get("x-forwarded-for");
    if (forwarded) return (forwarded.split(",")[0] ?? "").trim();
  }
  return request.headers.get("x-nl-client-ip") ?? "unknown";
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** A request from this machine, judged by the socket alone (X-Forwarded-For is ignored: a client could send it). */
export function isFromThisMachine(request: Request): boolean {
  return LOOPBACK.has(request.headers.get("x-nl-client-ip") ?? "");
}

export function notFound(): never {
  throw data({ status: 404 }, { status: 404 });
}

/** A numeric id from the path (bigint range), or 404: anything else names nothing and must not reach SQL or a Location header. */
export function idParam(value: string | undefined): string {
  if (!value || !isId(value)) notFound();
  return value;
}

export function forbidden(): never {
  throw data({ status: 403 }, { status: 403 });
}

const REDIRECT_ORIGIN = "http://same-origin.invalid";
/** Printable ASCII only: browsers drop tabs and newlines inside URLs, and a Location header takes no other bytes. */
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;
/** What a browser or a proxy might turn into a second slash or a scheme once decoded. */
const UNSAFE_DECODED_PATH = /[\x00-\x20\x7f\\]|^\/\//;

/**
 * Keeps a redirect target on this site: an absolute path ("/…") and nothing a browser could read as another
 * origin — no control characters or spaces (`/\t/evil.example` becomes `//evil.example`), no backslashes
 * (`/\\evil`), no `//`, and none of these percent-encoded in the path (`/%2F%2Fevil`, `/%09/evil`), however often
 * encoded. Anything else gives the fallback.
 */
export function safeRedirectTarget(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || target.length > 2048 || !PRINTABLE_ASCII.test(target)) return fallback;
  if (!target.startsWith("/") || target.startsWith("//") || target.includes("\\")) return fallback;
  let path = target.split(/[?#]/, 1)[0] ?? "";
  for (let round = 0; round < 4; round++) {
    if (UNSAFE_DECODED_PATH.test(path)) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return fallback;
    }
    if (decoded === path) break;
    if (round === 3) return fallback;
    path = decoded;
  }
  const resolved = new URL(target, REDIRECT_ORIGIN);
  if (resolved.origin !== REDIRECT_ORIGIN) return fallback;
  return target;
}

export function redirectWithNotice(to: string, notice: string, init?: ResponseInit) {
  const url = new URL(to, "http://local");
  url.searchParams.set("notice", notice);
  return redirect(`${url.pathname}${url.search}${url.hash}`, init);
}
