import crypto from "node:crypto";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import type { Locale } from "~/lib/i18n";
import { renderLoginLinkEmail } from "~/emails/login-link";
import { enqueueEmail } from "~/modules/mail/mail.server";
import { kickWorker } from "~/lib/jobs.server";
import { lockKeyed } from "~/lib/locks.server";
import * as queries from "./queries.server";

export const LOGIN_LINK_MINUTES = 15;
export const SESSION_DAYS = 30;

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function randomToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

/** browserKey: for the asking browser's cookie; with it, the link signs in at once in that browser. */
export type RequestLinkResult = { ok: true; browserKey: string } | { ok: false; reason: "rate_limited" };

/** Stores a hashed single-use token and queues the email with the link in the same transaction. */
export async function requestLoginLink(input: { email: string; clientIp: string; locale: Locale; redirectTo?: string }) {
  const config = env();
  const token = randomToken();
  const browserKey = randomToken();
  const result = await db().begin(async (tx): Promise<RequestLinkResult> => {
    // Count and insert under both keys' locks: concurrent requests (on any instance) wait and count each other.
    await lockKeyed(tx, "loginLinksByEmail", input.email);
    await lockKeyed(tx, "loginLinksByClient", input.clientIp);
    const recent = await queries.countRecentLoginTokens(tx, input.email, input.clientIp);
    if (recent.by_email >= config.LOGIN_LINKS_PER_EMAIL_PER_HOUR || recent.by_ip >= config.LOGIN_LINKS_PER_IP_PER_HOUR) {
      return { ok: false, reason: "rate_limited" };
    }
    await queries.insertLoginToken(tx, {
      tokenHash: hashToken(token),
      browserKeyHash: hashToken(browserKey),
      email: input.email,
      clientIp: input.clientIp,
      validMinutes: LOGIN_LINK_MINUTES,
    });
    const existing = await queries.findUserByEmail(tx, input.email);
    const locale = existing?.locale ?? input.locale;
    const link = new URL("/login/verify", config.APP_URL);
    link.searchParams.set("token", token);
    if (input.redirectTo) link.searchParams.set("redirectTo", input.redirectTo);
    const email = renderLoginLinkEmail(locale, link.toString());
    await enqueueEmail(tx, {
      userId: existing?.id ?? null,
      to: input.email,
      kind: "login",
      ...email,
      idempotencyKey: `login-${hashToken(token).slice(0, 32)}`,
    });
    return { ok: true, browserKey };
  });
  if (result.ok) kickWorker("mail");
  return result;
}

export type VerifyResult = { ok: true; sessionId: string; userId: string; isNew: boolean } | { ok: false; reason: "invalid" | "banned" };

/**
 * Consumes the token and opens a session; a token works once and only within its 15 minutes. With browserKey (the
 * asking browser's cookie), only a token asked for by that browser is consumed; any other stays unused.
 */
export async function signInWithToken(token: string, locale: Locale, browserKey?: string): Promise<VerifyResult> {
  const config = env();
  return db().begin(async (tx): Promise<VerifyResult> => {
    const email = await queries.consumeLoginToken(tx, hashToken(token), browserKey === undefined ? undefined : hashToken(browserKey));
    if (!email) return { ok: false, reason: "invalid" };
    const before = await queries.findUserByEmail(tx, email);
    const user = await queries.upsertUserByEmail(tx, email, locale, config.ADMIN_EMAILS.includes(email.toLowerCase()));
    if (user.banned_at) return { ok: false, reason: "banned" };
    const sessionId = randomToken();
    await queries.insertSession(tx, hashToken(sessionId), user.id, SESSION_DAYS);
    return { ok: true, sessionId, userId: user.id, isNew: !before };
  });
}

export async function findUserBySessionId(sessionId: string) {
  const idHash = hashToken(sessionId);
  const user = await queries.findSessionUser(db(), idHash);
  if (!user) return undefined;
  await queries.touchSession(db(), idHash);
  // Admins named in ADMIN_EMAILS are admins at once, without a new sign-in.
  return { ...user, is_admin: user.is_admin || env().ADMIN_EMAILS.includes(user.email.toLowerCase()) };
}

export async function signOut(sessionId: string) {
  await queries.deleteSession(db(), hashToken(sessionId));
}

export async function setUserLocale(userId: string, locale: Locale) {
  await queries.updateUserLocale(db(), userId, locale);
}

export async function setAdmin(email: string, isAdmin: boolean) {
  return queries.setAdminByEmail(db(), email.toLowerCase(), isAdmin);
}

export type SessionUser = queries.UserRow;
