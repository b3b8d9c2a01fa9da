import { describe, expect, it } from "vitest";
import { connect, db } from "~/lib/db.server";
import { takeRateLimit } from "~/lib/rate-limit.server";
import { requestLoginLink } from "~/modules/accounts/accounts.server";
import { sendContactRequest } from "~/modules/contact/contact.server";
import { useTestDatabase } from "./helpers/database";
import { createPerson } from "./helpers/factories";

// Limits hold exactly under concurrency: the requests come at once over separate pools, as from separate
// instances on one PostgreSQL.
const holder = useTestDatabase({ LOGIN_LINKS_PER_IP_PER_HOUR: "30", LOGIN_LINKS_PER_EMAIL_PER_HOUR: "5", CONTACT_REQUESTS_PER_DAY: "10" });

/** A pool of its own, as another instance of the app would have. */
const otherInstancePool = () => connect(holder.database.url, 10);

describe("limits under concurrency", () => {
  it("a fixed-window limit lets exactly its number through when 100 requests arrive at once on three pools", async () => {
    const pools = [db(), otherInstancePool(), otherInstancePool()];
    const now = new Date("2026-12-07T10:00:30Z");
    const rule = { scope: "test-window", limit: 60, windowSeconds: 60 };
    const decisions = await Promise.all(Array.from({ length: 100 }, (_, i) => takeRateLimit(pools[i % 3]!, rule, "203.0.113.5", now)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(60);
    expect(decisions.find((decision) => !decision.allowed)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    // another key and the next window are counted on their own
    expect(await takeRateLimit(db(), rule, "203.0.113.6", now)).toEqual({ allowed: true });
    expect(await takeRateLimit(db(), rule, "203.0.113.5", new Date("2026-12-07T10:01:00Z"))).toEqual({ allowed: true });
    await Promise.all(pools.slice(1).map((pool) => (pool as ReturnType<typeof connect>).end()));
  });

  it("sign-in links: 60 requests at once from one client address give exactly 30 links", async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => requestLoginLink({ email: `burst-${i}@example.org`, clientIp: "198.51.100.9", locale: "de" })),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(30);
    const [row] = await db()<{ count: number }[]>`select count(*)::int as count from login_tokens where client_ip = '198.51.100.9'`;
    expect(row!.count).toBe(30);
  });

  it("sign-in links: 20 requests at once for one address give exactly 5 links", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        requestLoginLink({ email: "same@example.org", clientIp: `198.51.100.${100 + i}`, locale: "de" }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(5);
  });

  it("contact requests: 20 at once from one sender give exactly the daily 10", async () => {
    const sender = await createPerson({ displayName: "Eilige Erika" });
    const recipients = await Promise.all(Array.from({ length: 20 }, (_, i) => createPerson({ displayName: `Empfänger ${i}` })));
    const results = await Promise.all(
      recipients.map((recipient) =>
        sendContactRequest({
          senderId: sender.id,
          senderName: "Eilige Erika",
          recipientId: recipient.id,
          message: "Hallo! Wollen wir zusammen etwas bauen?",
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(10);
    expect(results.filter((result) => !result.ok && result.reason === "daily_limit")).toHaveLength(10);
  });
});
