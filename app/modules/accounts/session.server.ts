import { createCookie, redirect } from "@remix-run/node";
import { env } from "~/lib/env.server";
import { forbidden } from "~/lib/http.server";
import { isLocale, localeFromAcceptLanguage, type Locale } from "~/lib/i18n";
import { findUserBySessionId, LOGIN_LINK_MINUTES, type SessionUser } from "./accounts.server";

const SESSION_MAX_AGE = 60 * 60 * 24 * 30;

function sessionCookie() {
  return createCookie("nl_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env().isProduction && env().APP_URL.startsWith("https://"),
    path: "/",
    maxAge: SESSION_MAX_AGE,
  });
}

/**
 * The browser that asked for a sign-in link keeps a random key for the link's lifetime; only that browser may sign
 * in by opening the link (see login_tokens.browser_key_hash). Path /login: sent nowhere else.
 */
function loginBrowserCookie() {
  return createCookie("nl_login_browser", {
    httpOnly: true,
    sameSite: "lax",
    secure: env().isProduction && env().APP_URL.startsWith("https://"),
    path: "/login",
    maxAge: LOGIN_LINK_MINUTES * 60,
  });
}

export function commitLoginBrowserCookie(browserKey: string) {
  return loginBrowserCookie().serialize(browserKey);
}

export function clearLoginBrowserCookie() {
  return loginBrowserCookie().serialize("", { maxAge: 0 });
}

export async function readLoginBrowserKey(request: Request): Promise<string | undefined> {
  const value = await loginBrowserCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 20 ? value : undefined;
}

const localeCookie = createCookie("nl_lang", { sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 365 });

export async function readSessionId(request: Request): Promise<string | undefined> {
  const value = await sessionCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 20 ? value : undefined;
}

export function commitSessionCookie(sessionId: string) {
  return sessionCookie().serialize(sessionId);
}

export function clearSessionCookie() {
  return sessionCookie().serialize("", { maxAge: 0 });
}

const userCache = new WeakMap<Request, Promise<SessionUser | undefined>>();

/** The signed-in person, looked up once per request. */
export function currentUser(request: Request): Promise<SessionUser | undefined> {
  let cached = userCache.get(request);
  if (!cached) {
    cached = readSessionId(request).then((id) => (id ? findUserBySessionId(id) : undefined));
    userCache.set(request, cached);
  }
  return cached;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await currentUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export async function requireAdmin(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!user.is_admin) forbidden();
  return user;
}

/** The person's choice (cookie, then account), else Accept-Language, else German. */
export async function requestLocale(request: Request): Promise<Locale> {
  const chosen = await localeCookie.parse(request.headers.get("cookie"));
  if (isLocale(chosen)) return chosen;
  const user = await currentUser(request);
  if (user) return user.locale;
  return localeFromAcceptLanguage(request.headers.get("accept-language")) ?? "de";
}

export function commitLocaleCookie(locale: Locale) {
  return localeCookie.serialize(locale);
}
