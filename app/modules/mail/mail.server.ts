import { db, type Db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { OutboxTransport, ResendTransport, type MailTransport } from "~/lib/mail-transport.server";
import { SharedSendPacer } from "~/lib/mail-pacer.server";
import * as queries from "./queries.server";

export type { NewEmail } from "./queries.server";

let transport: MailTransport | undefined;

/** Resend when RESEND_API_KEY is set (or MAIL_TRANSPORT=resend), else the local outbox. */
export function mailTransport(): MailTransport {
  if (!transport) {
    const config = env();
    transport =
      config.mailTransport === "resend" && config.RESEND_API_KEY
        ? new ResendTransport(config.RESEND_API_KEY, config.RESEND_BASE_URL)
        : new OutboxTransport(db);
  }
  return transport;
}

export function setMailTransport(next: MailTransport | undefined) {
  transport = next;
}

/** /dev/mail: only outside production and only while the local outbox transport is in use. */
export function isDevMailboxActive(): boolean {
  return env().devMailbox && mailTransport().name === "outbox";
}

/**
 * The one pacer of every request to the provider, shared by all instances through PostgreSQL. Only Resend is
 * paced: the local outbox has no rate limit.
 */
export function mailPacer(requestsPerSecond = env().RESEND_REQUESTS_PER_SECOND): SharedSendPacer {
  return new SharedSendPacer(db, requestsPerSecond);
}

/** Sign-in links and other transactional mail that is due or being sent now: bulk mail leaves the slots to it. */
export const transactionalMailWaiting = () => queries.transactionalMailWaiting(db());

/** Writes an email into the outbox; call it inside the transaction of the change that causes it. */
export async function enqueueEmail(sql: Db, email: queries.NewEmail) {
  return queries.insertEmail(sql, email);
}

const MAX_ATTEMPTS = 8;

function backoffSeconds(attempt: number): number {
  return Math.min(3600, 5 * 2 ** (attempt - 1));
}

/** Delivers due emails one by one; returns how many were handled. Used by the mail worker. */
export async function deliverDueEmails(limit = 20): Promise<number> {
  const sql = db();
  const sender = mailTransport();
  const from = env().MAIL_FROM;
  const pacer = sender.name === "resend" ? mailPacer() : undefined;
  const claimed = await queries.claimDueEmails(sql, limit, 120);
  for (const [position, email] of claimed.entries()) {
    if (!email.to_address) {
      await queries.markEmailFailed(sql, email.id, sender.name, "recipient deleted", null);
      continue;
    }
    await pacer?.takeSlot();
    const result = await sender.send({
      idempotencyKey: email.idempotency_key,
      from,
      to: email.to_address,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: email.headers,
    });
    if (result.ok) {
      await queries.markEmailSent(sql, email.id, sender.name, result.providerId);
    } else if (result.retryAfterSeconds !== undefined || result.quota) {
      // The provider's limit, not these emails' fault: they wait (rate: retry-after; quota: an hour) without
      // spending an attempt, and this pass stops asking.
      const waitSeconds = result.quota ? 3600 : (result.retryAfterSeconds as number);
      // A rate limit holds every sender of every instance back until retry-after has passed.
      if (!result.quota) await pacer?.holdOff(waitSeconds);
      await queries.postponeEmails(
        sql,
        claimed.slice(position).map((waiting) => waiting.id),
        result.error,
        waitSeconds,
      );
      break;
    } else {
      const giveUp = result.permanent || email.attempts >= MAX_ATTEMPTS;
      await queries.markEmailFailed(
        sql,
        email.id,
        sender.name,
        result.error,
        giveUp ? null : (result.retryAfterSeconds ?? backoffSeconds(email.attempts)),
      );
    }
  }
  return claimed.length;
}

export const listDevMailbox = (limit = 100) => queries.listDevMailbox(db(), limit);
export const findDevMail = (id: string) => queries.findDevMail(db(), id);
export const countEmailsByStatus = () => queries.countEmailsByStatus(db());
