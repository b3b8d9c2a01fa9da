import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { ResendTransport } from "~/lib/mail-transport.server";
import { requestLoginLink } from "~/modules/accounts/accounts.server";
import { runDigests } from "~/modules/digest/digest.server";
import { deliverDueEmails, enqueueEmail, setMailTransport, transactionalMailWaiting } from "~/modules/mail/mail.server";
import { useTestDatabase } from "./helpers/database";
import { insertReadyDigests, mostRequestsInOneSecond, startInstance } from "./helpers/instances";
import { startResendStandIn, type ResendStandIn } from "./stand-ins/resend";

// Against the LOCAL HTTP STAND-IN for Resend (tests/stand-ins/resend.ts): a rate limit per team, counted over every
// client together, as Resend's is. The app's pacer is configured to the same rate.
const RATE = 4;
const database = useTestDatabase({ APP_URL: "https://nextleipzig.example", RESEND_REQUESTS_PER_SECOND: String(RATE) });

let standIn: ResendStandIn;
let transport: ResendTransport;
beforeEach(async () => {
  standIn = await startResendStandIn({ requestsPerSecond: RATE, apiKey: "re_test_key" });
  transport = new ResendTransport("re_test_key", standIn.url);
  setMailTransport(transport);
});
afterEach(async () => {
  setMailTransport(undefined);
  await standIn.close();
});

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

async function sendAllDueEmails() {
  for (;;) {
    await deliverDueEmails(5);
    const [left] = await db()<
      { count: number }[]
    >`select count(*)::int as count from email_messages where status in ('pending', 'sending')`;
    if (left!.count === 0) return;
  }
}

describe("one mail pacer for every instance", () => {
  it("three instances' mail workers and a digest run together stay within the provider's rate: no 429", async () => {
    for (let i = 0; i < 18; i++) await enqueueEmail(db(), email(`instance-mail-${i}`));
    const digestAddresses = await insertReadyDigests(4, "instance-digest");
    const instances = [0, 1, 2].map(() =>
      startInstance({
        ROLE: "mail-worker",
        DATABASE_URL: database.database.url,
        RESEND_BASE_URL: standIn.url,
        RESEND_REQUESTS_PER_SECOND: String(RATE),
      }),
    );
    try {
      await Promise.all(instances.map((instance) => instance.printed("ready")));
      for (const instance of instances) instance.go();
      // this test process is the fourth instance, sending digests meanwhile
      const run = await runDigests({ trigger: "test", plan: false, transport, batchSize: 1 });
      expect(await Promise.all(instances.map((instance) => instance.exited))).toEqual([0, 0, 0]);
      expect(run).toMatchObject({ ran: true, sent: 4, failed: 0 });
    } finally {
      for (const instance of instances) instance.child.kill("SIGKILL");
    }

    expect(standIn.requests.filter((request) => request.status === 429)).toEqual([]);
    expect(standIn.requests).toHaveLength(22);
    const sentBy = await db()<{ count: number }[]>`select count(*)::int as count from email_messages where status = 'sent'`;
    expect(sentBy[0]!.count).toBe(18);
    // The pacer spaces request starts 1/RATE apart; one request more than RATE in a second is allowed for the
    // network's jitter between the slot and the request's arrival.
    expect(mostRequestsInOneSecond(standIn.requests.map((request) => request.at))).toBeLessThanOrEqual(RATE + 1);
    expect(new Set(standIn.delivered.map((entry) => entry.to))).toEqual(
      new Set([...Array.from({ length: 18 }, (_, i) => `instance-mail-${i}@example.org`), ...digestAddresses]),
    );
  });

  it("sign-in links requested during a digest run go out before the remaining digests, and none fails", async () => {
    await insertReadyDigests(10, "priority-digest");
    const digestRequests = () => standIn.requests.filter((request) => request.path === "/emails/batch");
    const run = runDigests({ trigger: "test", plan: false, transport, batchSize: 1 });
    while (digestRequests().length < 2) await new Promise((resolve) => setTimeout(resolve, 20));

    const requestedAt = standIn.requests.length;
    for (let i = 0; i < 3; i++) {
      expect(await requestLoginLink({ email: `during-run-${i}@example.org`, clientIp: `192.0.2.${10 + i}`, locale: "de" })).toMatchObject({
        ok: true,
      });
    }
    await sendAllDueEmails();
    const result = await run;

    const after = standIn.requests.slice(requestedAt);
    const lastSignIn = after.map((request) => request.path).lastIndexOf("/emails");
    const digestsBeforeLastSignIn = after.slice(0, lastSignIn).filter((request) => request.path === "/emails/batch").length;
    // at most the one digest request that already held its slot when the links were requested
    expect(digestsBeforeLastSignIn).toBeLessThanOrEqual(1);
    expect(after.slice(lastSignIn).filter((request) => request.path === "/emails/batch").length).toBeGreaterThanOrEqual(5);

    expect(standIn.requests.filter((request) => request.status === 429)).toEqual([]);
    const signIns = await db()<
      { status: string; attempts: number }[]
    >`select status, attempts from email_messages where to_address like 'during-run-%'`;
    expect(signIns).toEqual(Array.from({ length: 3 }, () => ({ status: "sent", attempts: 1 })));
    expect(result).toMatchObject({ ran: true, sent: 10, failed: 0 });
  });

  it("a 429 costs no attempt, even on a mail's last one, and holds back every sender for retry-after", async () => {
    await enqueueEmail(db(), email("last-attempt"));
    // seven attempts already used up by server errors: the next one is the last of eight
    await db()`update email_messages set attempts = 7 where idempotency_key = 'last-attempt'`;
    for (let round = 0; round < 3; round++) {
      standIn.failNext({ status: 429, retryAfter: 2 });
      await deliverDueEmails();
      const [state] = await db()<{ status: string; attempts: number; last_error: string }[]>`
        select status, attempts, last_error from email_messages where idempotency_key = 'last-attempt'`;
      expect(state).toMatchObject({ status: "pending", attempts: 7 });
      expect(state!.last_error).toMatch(/rate_limit_exceeded.*\(429\)/);
      // the shared slot moved past retry-after, for every instance
      const [pacer] = await db()<
        { held: boolean }[]
      >`select next_at > now() + interval '1 second' as held from mail_send_pacer where name = 'resend'`;
      expect(pacer!.held).toBe(true);
      await db()`update email_messages set next_attempt_at = now() where idempotency_key = 'last-attempt'`;
    }
    await deliverDueEmails();
    const [final] = await db()<
      { status: string; attempts: number }[]
    >`select status, attempts from email_messages where idempotency_key = 'last-attempt'`;
    expect(final).toEqual({ status: "sent", attempts: 8 });
  });

  it("a digest batch answered with 429 is sent again with its key and the 429 costs it no attempt", async () => {
    const [address] = await insertReadyDigests(1, "digest-429");
    standIn.failNext({ status: 429, retryAfter: 1 }, { status: 429, retryAfter: 1 });
    const result = await runDigests({ trigger: "test", plan: false, transport });
    expect(result).toMatchObject({ ran: true, sent: 1 });
    const [row] = await db()<{ status: string; attempts: number }[]>`select status, attempts from digests where to_address = ${address!}`;
    expect(row).toEqual({ status: "sent", attempts: 1 });
    expect(new Set(standIn.requests.map((request) => request.idempotencyKey)).size).toBe(1);
  });

  it("digests wait for fresh transactional mail and mail being sent, not for mail that no worker has picked up for long", async () => {
    expect(await transactionalMailWaiting()).toBe(false);
    await enqueueEmail(db(), email("fresh"));
    expect(await transactionalMailWaiting()).toBe(true);
    await db()`update email_messages set status = 'sending', next_attempt_at = now() + interval '2 minutes' where idempotency_key = 'fresh'`;
    expect(await transactionalMailWaiting()).toBe(true);
    // due for a minute: no worker runs, so digests no longer leave their slots to it
    await db()`update email_messages set status = 'pending', next_attempt_at = now() - interval '1 minute' where idempotency_key = 'fresh'`;
    expect(await transactionalMailWaiting()).toBe(false);
    // postponed (e.g. after a 429): not due, nothing to wait for
    await db()`update email_messages set next_attempt_at = now() + interval '1 minute' where idempotency_key = 'fresh'`;
    expect(await transactionalMailWaiting()).toBe(false);
    await db()`delete from email_messages where idempotency_key = 'fresh'`;
  });

  it("a run that meets 429 after 429 stops after five, says so, and the batch keeps its attempts for the next run", async () => {
    const [address] = await insertReadyDigests(1, "digest-429-in-a-row");
    standIn.failNext(...Array.from({ length: 5 }, () => ({ status: 429, retryAfter: 1 })));
    const result = await runDigests({ trigger: "test", plan: false, transport });
    expect(result).toMatchObject({ ran: true, sent: 0 });
    expect(result.ran && result.stoppedBy).toMatch(/^Rate limited 5 times in a row/);
    const [row] = await db()<{ status: string; attempts: number; last_error: string }[]>`
      select status, attempts, last_error from digests where to_address = ${address!}`;
    expect(row).toMatchObject({ status: "sending", attempts: 0 });
    expect(row!.last_error).toMatch(/rate_limit_exceeded/);
    const next = await runDigests({ trigger: "test", plan: false, transport });
    expect(next).toMatchObject({ ran: true, sent: 1 });
    expect(standIn.requests.filter((request) => request.status === 429)).toHaveLength(5);
  });
});
