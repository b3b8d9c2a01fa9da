import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import type { DeliveryResult, MailTransport, OutgoingEmail } from "~/lib/mail-transport.server";
import { deliverDueEmails, enqueueEmail, setMailTransport } from "~/modules/mail/mail.server";
import { useTestDatabase } from "./helpers/database";

useTestDatabase();

function email(key: string) {
  return {
    userId: null,
    to: `${key}@example.org`,
    kind: "test",
    subject: `Hallo ${key}`,
    html: "<p>Hallo</p>",
    text: "Hallo",
    idempotencyKey: key,
  };
}

class FlakyTransport implements MailTransport {
  readonly name = "resend" as const;
  sent: OutgoingEmail[] = [];
  constructor(private answers: DeliveryResult[]) {}
  async send(message: OutgoingEmail) {
    const answer = this.answers.shift() ?? { ok: true as const, providerId: "ok" };
    if (answer.ok) this.sent.push(message);
    return answer;
  }
  async sendBatch() {
    return { ok: false as const, error: "unused" };
  }
}

describe("mail delivery", () => {
  it("delivers through the local outbox once and logs the status", async () => {
    setMailTransport(undefined);
    await enqueueEmail(db(), email("local-1"));
    await enqueueEmail(db(), email("local-1"));
    expect(await deliverDueEmails()).toBe(1);
    const [log] = await db()`select status, transport, provider_id from email_messages where idempotency_key = 'local-1'`;
    expect(log).toMatchObject({ status: "sent", transport: "outbox" });
    expect(await db()`select subject from dev_mailbox where idempotency_key = 'local-1'`).toHaveLength(1);
  });

  it("re-sends a message whose sender crashed, with the same key, and the outbox keeps one copy", async () => {
    setMailTransport(undefined);
    await enqueueEmail(db(), email("crash-1"));
    await deliverDueEmails();
    // As if the process died after the transport accepted it but before the status was written.
    await db()`update email_messages set status = 'sending', next_attempt_at = now() - interval '1 second' where idempotency_key = 'crash-1'`;
    expect(await deliverDueEmails()).toBe(1);
    expect(await db()`select 1 from dev_mailbox where idempotency_key = 'crash-1'`).toHaveLength(1);
  });

  it("retries a failed send later and records permanent failures", async () => {
    const transport = new FlakyTransport([
      { ok: false, error: "server error (500)" },
      { ok: false, error: "invalid address (422)", permanent: true },
    ]);
    setMailTransport(transport);
    await enqueueEmail(db(), email("retry-1"));
    await deliverDueEmails();
    const [afterFailure] =
      await db()`select status, attempts, last_error, next_attempt_at > now() as later from email_messages where idempotency_key = 'retry-1'`;
    expect(afterFailure).toMatchObject({ status: "pending", attempts: 1, last_error: "server error (500)", later: true });
    await db()`update email_messages set next_attempt_at = now() where idempotency_key = 'retry-1'`;
    await deliverDueEmails();
    const [final] = await db()`select status, attempts from email_messages where idempotency_key = 'retry-1'`;
    expect(final).toMatchObject({ status: "failed", attempts: 2 });
    expect(transport.sent).toHaveLength(0);
    setMailTransport(undefined);
  });
});
