import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { ResendTransport } from "~/lib/mail-transport.server";
import { runDigests } from "~/modules/digest/digest.server";
import { createUnsubscribeToken } from "~/modules/digest/unsubscribe-token.server";
import { processMatchOutbox } from "~/modules/matching/matching.server";
import { action as unsubscribeAction } from "~/routes/unsubscribe";
import { action as webhookAction } from "~/routes/webhooks-resend";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";
import { startResendStandIn, type ResendStandIn } from "./stand-ins/resend";

const WEBHOOK_SECRET = `whsec_${Buffer.from("test-webhook-secret-0123456789").toString("base64")}`;
useTestDatabase({ RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET, APP_URL: "https://nextleipzig.example" });

let standIn: ResendStandIn;
let transport: ResendTransport;
beforeAll(async () => {
  standIn = await startResendStandIn({ requestsPerSecond: 50, apiKey: "re_test_key" });
  transport = new ResendTransport("re_test_key", standIn.url);
});
afterAll(async () => standIn.close());

async function drainMatches() {
  while ((await processMatchOutbox()) > 0);
}

async function fixture() {
  const maker = await createPerson(
    { displayName: "Mara Macherin", skillsOffered: ["Schweißen"], digestFrequency: "weekly" },
    { email: `mara-${crypto.randomUUID()}@example.org` },
  );
  const seeker = await createPerson(
    { displayName: "Sami Sucher", skillsSought: ["welding"], digestFrequency: "weekly" },
    { email: `sami-${crypto.randomUUID()}@example.org`, locale: "en" },
  );
  const quiet = await createPerson(
    { displayName: "Quinn Quiet", skillsOffered: ["Imkerei"], digestFrequency: "weekly" },
    { email: `quinn-${crypto.randomUUID()}@example.org` },
  );
  const needId = await createTestPost(seeker.id, { kind: "need", title: "Need a welder for a cargo bike frame", skills: "welding" });
  await drainMatches();
  return { maker, seeker, quiet, needId };
}

function deliveredTo(email: string) {
  return standIn.delivered.filter((entry) => entry.to === email);
}

describe("weekly digest", () => {
  it("sends each person their new matches once, in their language, and nothing when nothing is new", async () => {
    const { maker, seeker, quiet, needId } = await fixture();
    const result = await runDigests({ trigger: "test", frequencies: ["weekly"], transport, now: new Date() });
    expect(result.ran).toBe(true);

    const toMaker = deliveredTo(maker.email);
    expect(toMaker).toHaveLength(1);
    expect(toMaker[0]!.subject).toMatch(/neue[s]? Match/);
    expect(toMaker[0]!.headers["List-Unsubscribe"]).toMatch(/^<https:\/\/nextleipzig\.example\/unsubscribe\/\d+\.[\w-]+>$/);
    expect(toMaker[0]!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const [row] = await db()`select html, text from digests where user_id = ${maker.id}`;
    expect(row!.text).toContain("Gesuche, die zu dir passen");
    expect(row!.text).toContain(`/posts/${needId}`);
    expect(row!.text).toContain("Need a welder");
    // which of mine it fits: Mara has no post, the need fits her profile
    expect(row!.text).toContain("zu deinem Profil");

    expect(deliveredTo(seeker.email)).toHaveLength(1);
    expect(deliveredTo(seeker.email)[0]!.subject).toMatch(/new match/);
    const [seekerRow] = await db()`select text from digests where user_id = ${seeker.id}`;
    // A person never gets their own post suggested.
    expect(seekerRow!.text).not.toContain(`/posts/${needId}`);

    expect(deliveredTo(quiet.email)).toHaveLength(0);
    const [quietRow] = await db()`select status from digests where user_id = ${quiet.id}`;
    expect(quietRow!.status).toBe("skipped");

    // The same week again: nothing is sent twice.
    await runDigests({ trigger: "test", frequencies: ["weekly"], transport, now: new Date() });
    expect(deliveredTo(maker.email)).toHaveLength(1);
  });

  it("next week only carries matches first seen since the last digest", async () => {
    const { maker } = await fixture();
    const firstWeek = new Date();
    await runDigests({ trigger: "test", frequencies: ["weekly"], transport, now: firstWeek });
    expect(deliveredTo(maker.email)).toHaveLength(1);
    const nextWeek = new Date(firstWeek.getTime() + 7 * 86_400_000);
    await runDigests({ trigger: "test", frequencies: ["weekly"], transport, now: nextWeek });
    expect(deliveredTo(maker.email)).toHaveLength(1);
    const rows = await db()`select status from digests where user_id = ${maker.id} order by id`;
    expect(rows.map((row) => row.status)).toEqual(["sent", "skipped"]);
  });
});

describe("exactly once", () => {
  it("a crash between the provider's answer and the database update neither repeats nor loses a digest", async () => {
    const { maker, seeker } = await fixture();
    const before = standIn.requests.filter((request) => request.status === 200 && request.emails > 0).length;
    const crashed = runDigests({
      trigger: "test",
      frequencies: ["weekly"],
      transport,
      afterProviderAccepted: () => {
        throw new Error("simulated crash");
      },
    });
    await expect(crashed).rejects.toThrow("simulated crash");
    const stuck = await db()`select status from digests where user_id in (${maker.id}, ${seeker.id})`;
    expect(stuck.map((row) => row.status)).toEqual(["sending", "sending"]);
    // Any later write (or vacuum) may move rows: the first digest's row version now lies behind the second's, so a
    // scan meets them in another order than when the batch was claimed. The retry must still send the same payload.
    await db()`update digests set attempts = attempts where id = (select min(id) from digests where user_id in (${maker.id}, ${seeker.id}))`;

    await runDigests({ trigger: "test", frequencies: ["weekly"], transport });
    expect(deliveredTo(maker.email)).toHaveLength(1);
    expect(deliveredTo(seeker.email)).toHaveLength(1);
    const after = await db()`select status from digests where user_id in (${maker.id}, ${seeker.id})`;
    expect(after.map((row) => row.status)).toEqual(["sent", "sent"]);
    // The retry reused the batch's idempotency key, and the provider replayed its first answer.
    const keys = standIn.requests
      .slice(before)
      .map((request) => request.idempotencyKey)
      .filter(Boolean);
    expect(new Set(keys).size).toBe(1);
  });

  it("two runners started together send each person one digest", async () => {
    const { maker, seeker } = await fixture();
    const results = await Promise.all([
      runDigests({ trigger: "test", frequencies: ["weekly"], transport }),
      runDigests({ trigger: "test", frequencies: ["weekly"], transport }),
    ]);
    expect(results.some((result) => result.ran)).toBe(true);
    expect(deliveredTo(maker.email)).toHaveLength(1);
    expect(deliveredTo(seeker.email)).toHaveLength(1);
  });

  it("retries a batch the provider refused with 500 and waits out a 429", async () => {
    const { maker } = await fixture();
    standIn.failNext({ status: 429, retryAfter: 1 }, { status: 500 });
    await runDigests({ trigger: "test", frequencies: ["weekly"], transport });
    const [row] = await db()`select status, last_error from digests where user_id = ${maker.id}`;
    expect(row!.status).toBe("sending");
    expect(row!.last_error).toMatch(/500/);
    expect(deliveredTo(maker.email)).toHaveLength(0);
    await db()`update digests set next_attempt_at = now() where status = 'sending'`;
    await runDigests({ trigger: "test", plan: false, transport });
    expect(deliveredTo(maker.email)).toHaveLength(1);
    const [after] = await db()`select status from digests where user_id = ${maker.id}`;
    expect(after!.status).toBe("sent");
  });
});

describe("unsubscribe", () => {
  it("one-click POST turns digests off without a session; a forged token changes nothing", async () => {
    const person = await createPerson({ digestFrequency: "weekly" });
    const token = createUnsubscribeToken(person.id);
    const forged = `${person.id}.${"A".repeat(43)}`;
    const other = createUnsubscribeToken(String(Number(person.id) + 1000));
    const post = (tokenValue: string) =>
      unsubscribeAction({
        request: new Request(`http://localhost/unsubscribe/${tokenValue}`, {
          method: "POST",
          body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }),
        }),
        params: { token: tokenValue },
        context: {},
      });
    for (const bad of [forged, other.replace(/^\d+/, person.id), "garbage"]) {
      await post(bad);
      const [row] = await db()`select digest_frequency from profiles where user_id = ${person.id}`;
      expect(row!.digest_frequency).toBe("weekly");
    }
    await post(token);
    const [row] = await db()`select digest_frequency from profiles where user_id = ${person.id}`;
    expect(row!.digest_frequency).toBe("off");
  });
});

describe("provider webhooks", () => {
  function signed(body: string, secret = WEBHOOK_SECRET) {
    const id = `msg_${crypto.randomUUID()}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
    const signature = crypto.createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
    return new Request("http://localhost/webhooks/resend", {
      method: "POST",
      body,
      headers: { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}`, "content-type": "application/json" },
    });
  }

  it("turns digests off after a permanent bounce or a complaint, and refuses bad signatures", async () => {
    const bounced = await createPerson({ digestFrequency: "weekly" }, { email: "bounce@example.org" });
    const complained = await createPerson({ digestFrequency: "daily" }, { email: "complain@example.org" });
    const transient = await createPerson({ digestFrequency: "weekly" }, { email: "later@example.org" });
    const event = (type: string, to: string, bounceType?: string) =>
      JSON.stringify({
        type,
        created_at: new Date().toISOString(),
        data: { email_id: "e1", to: [to], ...(bounceType ? { bounce: { type: bounceType, subType: "General", message: "x" } } : {}) },
      });

    const forged = signed(
      event("email.bounced", "bounce@example.org", "Permanent"),
      `whsec_${Buffer.from("wrong-secret").toString("base64")}`,
    );
    expect(((await webhookAction({ request: forged, params: {}, context: {} })) as Response).status).toBe(401);
    const frequency = async (userId: string) =>
      (await db()`select digest_frequency from profiles where user_id = ${userId}`)[0]!.digest_frequency;
    expect(await frequency(bounced.id)).toBe("weekly");

    expect(
      (
        (await webhookAction({
          request: signed(event("email.bounced", "bounce@example.org", "Permanent")),
          params: {},
          context: {},
        })) as Response
      ).status,
    ).toBe(200);
    expect(
      ((await webhookAction({ request: signed(event("email.complained", "complain@example.org")), params: {}, context: {} })) as Response)
        .status,
    ).toBe(200);
    expect(
      (
        (await webhookAction({
          request: signed(event("email.bounced", "later@example.org", "Transient")),
          params: {},
          context: {},
        })) as Response
      ).status,
    ).toBe(200);
    expect(await frequency(bounced.id)).toBe("off");
    expect(await frequency(complained.id)).toBe("off");
    expect(await frequency(transient.id)).toBe("weekly");
    expect(await db()`select type from email_events order by id`).toHaveLength(3);
  });
});
