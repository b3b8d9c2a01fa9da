import { createCookie, redirect } from "@remix-run/node";
import { env } from "~/lib/env.server";
import { forbidden } from "~/lib/http.server";
import { isLocale, localeFromAcceptLanguage, type Locale } from "~/lib/i18n";
import { findUserBySessionId, LOGIN_LINK_MINUTES, type SessionUser } from "./accounts.server";

const SESSION_MAX_AGE = 60 * 60 * 24 * 30;

/** A cookie only this server reads: HttpOnly, SameSite=Lax, Secure in production on https. */
function privateCookie(name: string, path: string, maxAge: number) {
  return createCookie(name, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().isProduction && env().APP_URL.startsWith("https://"),
    path,
    maxAge,
  });
}

const sessionCookie = () => privateCookie("nl_session", "/", SESSION_MAX_AGE);

/** A random value long enough to be one of ours (the session id, the login browser key), or nothing. */
async function readRandomValue(cookie: ReturnType<typeof privateCookie>, request: Request): Promise<string | undefined> {
  const value = await cookie.parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 20 ? value : undefined;
}

/**
 * The browser that asked for a sign-in link keeps a random key for the link's lifetime; only that browser may sign
 * in by opening the link (see login_tokens.browser_key_hash). Path /login: sent nowhere else.
 */
const loginBrowserCookie = () => privateCookie("nl_login_browser", "/login", LOGIN_LINK_MINUTES * 60);

export function commitLoginBrowserCookie(browserKey: string) {
  return loginBrowserCookie().serialize(browserKey);
}

export function clearLoginBrowserCookie() {
  return loginBrowserCookie().serialize("", { maxAge: 0 });
}

export function readLoginBrowserKey(request: Request): Promise<string | undefined> {
  return readRandomValue(loginBrowserCookie(), request);
}

const localeCookie = createCookie("nl_lang", { sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 365 });

export function readSessionId(request: Request): Promise<string | undefined> {
  return readRandomValue(sessionCookie(), request);
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
