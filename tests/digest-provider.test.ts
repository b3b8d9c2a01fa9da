import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { ResendTransport } from "~/lib/mail-transport.server";
import { runDigests } from "~/modules/digest/digest.server";
import { requestLoginLink } from "~/modules/accounts/accounts.server";
import { deliverDueEmails, setMailTransport } from "~/modules/mail/mail.server";
import { processMatchOutbox } from "~/modules/matching/matching.server";
import { useTestDatabase } from "./helpers/database";
import { getRequest, sessionCookieFor } from "./helpers/http";
import { startResendStandIn, type ResendStandIn } from "./stand-ins/resend";
import { loader as adminDigestsLoader } from "~/routes/admin-digests";
import { createPerson, createTestPost, createUser } from "./helpers/factories";

// Against the LOCAL HTTP STAND-IN for Resend (tests/stand-ins/resend.ts), which validates each email as Resend does.
useTestDatabase({ APP_URL: "https://nextleipzig.example" });

let standIn: ResendStandIn;
let transport: ResendTransport;
beforeAll(async () => {
  standIn = await startResendStandIn({ requestsPerSecond: 50, apiKey: "re_test_key" });
  transport = new ResendTransport("re_test_key", standIn.url);
});
afterAll(async () => standIn.close());

describe("digests through Resend's batch API", () => {
  it("one invalid address fails only its own digest; the rest of the batch is sent and each id maps to its email", async () => {
    const makers = [];
    for (let i = 0; i < 5; i++) {
      const email = i === 2 ? `broken-${i}@localhost` : `maker-${i}@example.org`;
      makers.push(await createPerson({ displayName: `Maker ${i}`, skillsOffered: ["Schweißen"], digestFrequency: "weekly" }, { email }));
    }
    const seeker = await createPerson({ displayName: "Sina", skillsSought: ["Schweißen"], digestFrequency: "off" });
    await createTestPost(seeker.id, { kind: "need", title: "Wer schweißt unseren Lastenradrahmen?", skills: "Schweißen" });
    while ((await processMatchOutbox()) > 0);

    const result = await runDigests({ trigger: "test", frequencies: ["weekly"], transport, now: new Date() });
    expect(result).toMatchObject({ ran: true, planned: 5, sent: 4, failed: 1 });
    const rows = await db()<{ email: string; status: string; provider_id: string | null; last_error: string | null }[]>`
      select u.email, d.status, nullif(d.provider_id, '') as provider_id, d.last_error
      from digests d join users u on u.id = d.user_id order by u.email`;
    const broken = rows.find((row) => row.email.includes("localhost"));
    expect(broken).toMatchObject({ status: "failed", provider_id: null });
    expect(broken?.last_error).toMatch(/rejected: Invalid `to` field/);
    // every provider id belongs to the email the stand-in delivered under it
    for (const row of rows.filter((row) => row.status === "sent")) {
      expect(standIn.delivered.find((email) => email.id === row.provider_id)?.to).toBe(row.email);
    }
    expect(standIn.delivered.map((email) => email.to)).not.toContain("broken-2@localhost");
  });

  it("the stand-in refuses an idempotency key reused with another payload (409), as Resend does", async () => {
    const email = {
      idempotencyKey: "k",
      from: "NextLeipzig <hallo@nextleipzig.de>",
      to: "a@example.org",
      subject: "Hallo",
      html: "<p>Hallo</p>",
      text: "Hallo",
    };
    expect((await transport.sendBatch([email], "digest-batch-reuse")).ok).toBe(true);
    const again = await transport.sendBatch([{ ...email, subject: "Anders" }], "digest-batch-reuse");
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error).toMatch(/\(409\)/);
  });

  it("a used-up quota stops the run after one request, says so, costs no attempt, and the digests go out the next day", async () => {
    const maker = await createPerson(
      { displayName: "Quinta", skillsOffered: ["Lehmbau"], digestFrequency: "daily" },
      { email: "quinta@example.org" },
    );
    const seeker = await createPerson({ displayName: "Lars", skillsSought: ["Lehmbau"], digestFrequency: "off" });
    await createTestPost(seeker.id, { kind: "need", title: "Lehmputz für unser Gartenhaus", skills: "Lehmbau" });
    while ((await processMatchOutbox()) > 0);
    const requestsBefore = standIn.requests.length;
    standIn.failNext({ status: 429, name: "daily_quota_exceeded" });
    const result = await runDigests({ trigger: "test", frequencies: ["daily"], transport, now: new Date() });
    expect(result.ran && result.stoppedBy).toMatch(/quota used up.*after midnight UTC/);
    expect(standIn.requests.length - requestsBefore).toBe(1);
    const [digest] = await db()<{ status: string; attempts: number; tomorrow: boolean }[]>`
      select status, attempts, next_attempt_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' + interval '1 day' as tomorrow
      from digests where user_id = ${maker.id}`;
    expect(digest).toEqual({ status: "sending", attempts: 0, tomorrow: true });
    const [run] = await db()<{ error: string | null }[]>`select error from digest_runs where id = ${result.ran ? result.runId : "0"}`;
    expect(run!.error).toMatch(/quota/);
    // the admin page says so
    const admin = await createUser({ isAdmin: true });
    const page = await adminDigestsLoader({
      request: getRequest("/admin/digests", await sessionCookieFor(admin.id)),
      params: {},
      context: {},
    });
    expect(page.quotaStopped).toBe(true);
    expect(page.runs[0]).toMatchObject({ stop_reason: "quota", sent: 0 });
    expect(page.runs[0]!.error).toMatch(/Sending quota used up.*daily_quota_exceeded/);
    // the next day
    await db()`update digests set next_attempt_at = now() where user_id = ${maker.id}`;
    const nextDay = await runDigests({ trigger: "test", plan: false, transport });
    expect(nextDay.ran).toBe(true);
    const [after] = await db()<{ status: string }[]>`select status from digests where user_id = ${maker.id}`;
    expect(after!.status).toBe("sent");
    const pageNextDay = await adminDigestsLoader({
      request: getRequest("/admin/digests", await sessionCookieFor(admin.id)),
      params: {},
      context: {},
    });
    expect(pageNextDay.quotaStopped).toBe(false);
  });

  it("a rate-limited sign-in email waits for retry-after without using up one of its attempts", async () => {
    setMailTransport(transport);
    try {
      await requestLoginLink({ email: "waiting@example.org", clientIp: "192.0.2.44", locale: "de" });
      standIn.failNext({ status: 429, retryAfter: 2 });
      await deliverDueEmails();
      const [email] = await db()<{ status: string; attempts: number; waits: boolean }[]>`
        select status, attempts, next_attempt_at > now() as waits from email_messages where to_address = 'waiting@example.org'`;
      expect(email).toEqual({ status: "pending", attempts: 0, waits: true });
    } finally {
      setMailTransport(undefined);
    }
  });
});
