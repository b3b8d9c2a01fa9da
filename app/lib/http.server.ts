import { data, redirect } from "@remix-run/node";
import { env } from "./env.server";

/** The client's address: the socket's, or the first X-Forwarded-For hop when TRUST_PROXY=true. */
export function clientAddress(request: Request): string {
  if (env().trustProxy) {
    const forwarded = request.headers.get("x-forwarded-for");
    if (forwarded) return forwarded.split(",")[0].trim();
  }
  return request.headers.get("x-nl-client-ip") ?? "unknown";
}

export function notFound(): never {
  throw data({ status: 404 }, { status: 404 });
}

export function forbidden(): never {
  throw data({ status: 403 }, { status: 403 });
}

/** Keeps a redirect target on this site. */
export function safeRedirectTarget(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.includes("\\")) {
    return fallback;
  }
  return target;
}

export function redirectWithNotice(to: string, notice: string, init?: ResponseInit) {
  const url = new URL(to, "http://local");
  url.searchParams.set("notice", notice);
  return redirect(`${url.pathname}${url.search}${url.hash}`, init);
}
