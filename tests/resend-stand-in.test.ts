import { afterEach, describe, expect, it } from "vitest";
import { ResendTransport, type OutgoingEmail } from "~/lib/mail-transport.server";
import { startResendStandIn, type ResendStandIn } from "./stand-ins/resend";

// The LOCAL HTTP STAND-IN for Resend (tests/stand-ins/resend.ts) behaves as Resend's documentation says, and the
// app's transport reads its answers right: rate limit vs quota vs validation.
let standIn: ResendStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

function message(to: string, key: string): OutgoingEmail {
  return { idempotencyKey: key, from: "NextLeipzig <hallo@nextleipzig.de>", to, subject: "Hallo", html: "<p>Hallo</p>", text: "Hallo" };
}

describe("Resend stand-in", () => {
  it("limits requests per team, over every client together: 429 rate_limit_exceeded with retry-after and ratelimit headers", async () => {
    const RATE = 2;
    standIn = await startResendStandIn({ requestsPerSecond: RATE, apiKey: "re_test_key" });
    const clients = [new ResendTransport("re_test_key", standIn.url), new ResendTransport("re_test_key", standIn.url)];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => clients[i % 2]!.send(message(`burst-${i}@example.org`, `burst-${i}`))),
    );

    const limited = results.filter((result) => !result.ok);
    expect(limited.length).toBeGreaterThan(0);
    for (const result of limited) {
      if (!result.ok) {
        expect(result.quota).toBeFalsy();
        expect(result.error).toMatch(/^rate_limit_exceeded: .*\(429\)$/);
        expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }
    }
    // accepted: the bucket's RATE plus what refilled between the first and the last request
    const times = standIn.requests.map((request) => request.at);
    const refilled = ((Math.max(...times) - Math.min(...times)) / 1000) * RATE;
    expect(results.filter((result) => result.ok).length).toBeLessThanOrEqual(RATE + Math.ceil(refilled));

    const raw = await fetch(`${standIn.url}/emails`, {
      method: "POST",
      headers: { authorization: "Bearer re_test_key", "content-type": "application/json" },
      body: JSON.stringify({ from: "a@example.org", to: "b@example.org", subject: "x", text: "x" }),
    });
    if (raw.status === 429) {
      expect(raw.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(raw.headers.get("ratelimit-remaining")).toBe("0");
    }
    expect(raw.headers.get("ratelimit-limit")).toBe(String(RATE));
    expect(raw.headers.get("ratelimit-reset")).toMatch(/^\d+$/);
  });

  it("counts the daily quota per recipient: then 429 daily_quota_exceeded without retry-after, which the transport calls a quota", async () => {
    standIn = await startResendStandIn({ requestsPerSecond: 50, apiKey: "re_test_key", dailyQuota: 3 });
    const transport = new ResendTransport("re_test_key", standIn.url);
    expect((await transport.send(message("one@example.org", "q-1"))).ok).toBe(true);
    expect((await transport.sendBatch([message("two@example.org", "q-2a"), message("three@example.org", "q-2b")], "q-batch-1")).ok).toBe(
      true,
    );
    // a replay of an earlier request sends nothing and so costs no quota
    expect((await transport.send(message("one@example.org", "q-1"))).ok).toBe(true);
    const over = await transport.send(message("four@example.org", "q-4"));
    expect(over).toMatchObject({ ok: false, quota: true });
    if (!over.ok) expect(over.error).toMatch(/^daily_quota_exceeded: .*\(429\)$/);
    expect(standIn.delivered).toHaveLength(3);
    expect(standIn.requests.at(-1)).toMatchObject({ status: 429 });
  });

  it("refuses a batch that would pass the monthly quota with 429 monthly_quota_exceeded", async () => {
    standIn = await startResendStandIn({ requestsPerSecond: 50, apiKey: "re_test_key", monthlyQuota: 2 });
    const transport = new ResendTransport("re_test_key", standIn.url);
    expect((await transport.send(message("one@example.org", "m-1"))).ok).toBe(true);
    const batch = await transport.sendBatch([message("two@example.org", "m-2a"), message("three@example.org", "m-2b")], "m-batch");
    expect(batch).toMatchObject({ ok: false, quota: true });
    if (!batch.ok) expect(batch.error).toMatch(/^monthly_quota_exceeded: /);
    expect(standIn.delivered.map((entry) => entry.to)).toEqual(["one@example.org"]);
  });

  it("answers an invalid address with 422 validation_error (permanent); a strict batch fails whole, a permissive one lists it", async () => {
    standIn = await startResendStandIn({ requestsPerSecond: 50, apiKey: "re_test_key" });
    const transport = new ResendTransport("re_test_key", standIn.url);
    const single = await transport.send(message("not-an-address", "v-1"));
    expect(single).toMatchObject({ ok: false, permanent: true });
    if (!single.ok) expect(single.error).toMatch(/^validation_error: .*\(422\)$/);

    const payload = [
      { from: "a@example.org", to: "ok@example.org", subject: "x", text: "x" },
      { from: "a@example.org", to: "broken@localhost", subject: "x", text: "x" },
    ];
    const post = (headers: Record<string, string>) =>
      fetch(`${standIn?.url}/emails/batch`, {
        method: "POST",
        headers: { authorization: "Bearer re_test_key", "content-type": "application/json", ...headers },
        body: JSON.stringify(payload),
      });
    const strict = await post({});
    expect(strict.status).toBe(422);
    expect(await strict.json()).toMatchObject({ name: "validation_error", message: expect.stringMatching(/^emails\[1\]/) });
    const permissive = await post({ "x-batch-validation": "permissive" });
    expect(permissive.status).toBe(200);
    const body = (await permissive.json()) as { data: { id: string }[]; errors: { index: number; message: string }[] };
    expect(body.data).toHaveLength(1);
    expect(body.errors).toEqual([{ index: 1, message: expect.stringMatching(/Invalid `to` field/) }]);
    expect(standIn.delivered.map((entry) => entry.to)).toEqual(["ok@example.org"]);
  });
});
