import crypto from "node:crypto";
import { env } from "~/lib/env.server";

/**
 * Unsubscribe links carry "<userId>.<signature>" where the signature is an HMAC of the user id with APP_SECRET:
 * they work without signing in, and a forged or altered token is simply not valid.
 */
function sign(userId: string, secret: string) {
  return crypto.createHmac("sha256", secret).update(`digest-unsubscribe:${userId}`).digest("base64url");
}

export function createUnsubscribeToken(userId: string, secret = env().APP_SECRET) {
  return `${userId}.${sign(userId, secret)}`;
}

export function verifyUnsubscribeToken(token: string, secret = env().APP_SECRET): string | undefined {
  const [, userId, signature] = /^(\d{1,18})\.([A-Za-z0-9_-]{43})$/.exec(token) ?? [];
  if (userId === undefined || signature === undefined) return undefined;
  const expected = Buffer.from(sign(userId, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? userId : undefined;
}

export function unsubscribeUrl(userId: string) {
  return `${env().APP_URL}/unsubscribe/${createUnsubscribeToken(userId)}`;
}
