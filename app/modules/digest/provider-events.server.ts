import { Resend } from "resend";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import * as queries from "./queries.server";

export type WebhookOutcome = { status: 200 | 401 | 404; body: string };

type ProviderEvent = { type: string; data?: { to?: string[] | string; bounce?: { type?: string } } };

/**
 * /webhooks/resend: the signature is checked on the raw body with the svix headers; only then do a permanent
 * bounce or a complaint turn the address's digests off. Each event is logged once (svix-id).
 */
export async function handleResendWebhook(rawBody: string, headers: Headers): Promise<WebhookOutcome> {
  const secret = env().RESEND_WEBHOOK_SECRET;
  if (!secret) return { status: 404, body: "webhooks are not configured" };
  const id = headers.get("svix-id") ?? "";
  const timestamp = headers.get("svix-timestamp") ?? "";
  const signature = headers.get("svix-signature") ?? "";
  let event: ProviderEvent;
  try {
    // verify() only needs the secret; the API key is not used for it.
    const resend = new Resend(env().RESEND_API_KEY ?? "re_webhook_verification_only");
    event = resend.webhooks.verify({ payload: rawBody, headers: { id, timestamp, signature }, webhookSecret: secret }) as ProviderEvent;
  } catch {
    return { status: 401, body: "invalid signature" };
  }
  const recipients = ([] as string[]).concat(event.data?.to ?? []).map((address) => address.toLowerCase());
  const permanentBounce = event.type === "email.bounced" && (event.data?.bounce?.type ?? "").toLowerCase() === "permanent";
  const turnsOff = permanentBounce || event.type === "email.complained";
  await db().begin(async (tx) => {
    const fresh = await queries.insertEmailEvent(tx, { providerEventId: id, type: event.type, email: recipients[0] ?? null, detail: event });
    if (!fresh || !turnsOff) return;
    for (const address of recipients) await queries.turnOffDigestsForEmail(tx, address);
  });
  return { status: 200, body: "ok" };
}
