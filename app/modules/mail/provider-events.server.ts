import { Resend } from "resend";
import { z } from "zod";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { turnOffDigestsForEmail } from "~/modules/profiles/profiles.server";
import * as queries from "./queries.server";

export type WebhookOutcome = { status: 200 | 400 | 401 | 404; body: string };

const address = z.string().max(320);
/** The fields we read; a signed but malformed event (e.g. `"to":[1,{}]`) is refused with 400, not a 500. */
const providerEventSchema = z
  .object({
    type: z.string().max(100),
    data: z
      .object({
        to: z.union([address, z.array(address).max(100)]).optional(),
        bounce: z
          .object({ type: z.string().max(100).optional() })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
type ProviderEvent = z.infer<typeof providerEventSchema>;

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
  let verified: unknown;
  try {
    // verify() only needs the secret; the API key is not used for it.
    const resend = new Resend(env().RESEND_API_KEY ?? "re_webhook_verification_only");
    verified = resend.webhooks.verify({ payload: rawBody, headers: { id, timestamp, signature }, webhookSecret: secret });
  } catch {
    return { status: 401, body: "invalid signature" };
  }
  const parsed = providerEventSchema.safeParse(verified);
  // PostgreSQL stores no NUL in text or jsonb
  if (!parsed.success || /\\u0000/i.test(JSON.stringify(parsed.data)) || id.length > 200) return { status: 400, body: "malformed event" };
  const event: ProviderEvent = parsed.data;
  const recipients = ([] as string[]).concat(event.data?.to ?? []).map((address) => address.toLowerCase());
  const permanentBounce = event.type === "email.bounced" && (event.data?.bounce?.type ?? "").toLowerCase() === "permanent";
  const turnsOff = permanentBounce || event.type === "email.complained";
  await db().begin(async (tx) => {
    const fresh = await queries.insertEmailEvent(tx, {
      providerEventId: id,
      type: event.type,
      email: recipients[0] ?? null,
      detail: event,
    });
    if (!fresh || !turnsOff) return;
    for (const address of recipients) await turnOffDigestsForEmail(tx, address);
  });
  return { status: 200, body: "ok" };
}
