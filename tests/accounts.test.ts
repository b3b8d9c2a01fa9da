import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { hashToken, requestLoginLink, signInWithToken, findUserBySessionId, signOut } from "~/modules/accounts/accounts.server";
import { deliverDueEmails } from "~/modules/mail/mail.server";
import { useTestDatabase } from "./helpers/database";

useTestDatabase({ LOGIN_LINKS_PER_EMAIL_PER_HOUR: "3", LOGIN_LINKS_PER_IP_PER_HOUR: "5" });

async function latestLinkTo(email: string) {
  await deliverDueEmails();
  const [mail] = await db()<{ text: string }[]>`select text from dev_mailbox where to_address = ${email} order by id desc limit 1`;
  const match = mail?.text.match(/token=([A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`no sign-in link mailed to ${email}`);
  return match[1];
}

describe("magic-link sign-in", () => {
  it("mails a link whose token is stored only as a hash and signs in once", async () => {
    const email = "ada@example.org";
    expect(await requestLoginLink({ email, clientIp: "10.0.0.1", locale: "de" })).toMatchObject({
      ok: true,
      browserKey: expect.any(String),
    });
    const token = await latestLinkTo(email);
    const stored = await db()<{ token_hash: string }[]>`select token_hash from login_tokens where email = ${email}`;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toBe(hashToken(token!));
    expect(stored[0]!.token_hash).not.toContain(token);

    const first = await signInWithToken(token!, "de");
    expect(first.ok).toBe(true);
    const second = await signInWithToken(token!, "de");
    expect(second).toEqual({ ok: false, reason: "invalid" });

    if (!first.ok) throw new Error("unreachable");
    const user = await findUserBySessionId(first.sessionId);
    expect(user?.email).toBe(email);
    const sessions = await db()`select id_hash from sessions where user_id = ${first.userId}`;
    expect(sessions[0]!.id_hash).toBe(hashToken(first.sessionId));

    await signOut(first.sessionId);
    expect(await findUserBySessionId(first.sessionId)).toBeUndefined();
    expect(await db()`select 1 from sessions where user_id = ${first.userId}`).toHaveLength(0);
  });

  it("refuses a link older than 15 minutes", async () => {
    const email = "late@example.org";
    await requestLoginLink({ email, clientIp: "10.0.0.2", locale: "en" });
    const token = await latestLinkTo(email);
    await db()`update login_tokens set expires_at = now() - interval '1 second' where token_hash = ${hashToken(token!)}`;
    expect(await signInWithToken(token!, "en")).toEqual({ ok: false, reason: "invalid" });
    expect(await db()`select 1 from users where email = ${email}`).toHaveLength(0);
  });

  it("refuses unknown tokens", async () => {
    expect(await signInWithToken("x".repeat(43), "de")).toEqual({ ok: false, reason: "invalid" });
  });

  it("rate limits per address and per client address", async () => {
    const email = "busy@example.org";
    for (let i = 0; i < 3; i++) expect((await requestLoginLink({ email, clientIp: `10.1.0.${i}`, locale: "de" })).ok).toBe(true);
    expect(await requestLoginLink({ email, clientIp: "10.1.0.9", locale: "de" })).toEqual({ ok: false, reason: "rate_limited" });

    for (let i = 0; i < 5; i++) await requestLoginLink({ email: `ip${i}@example.org`, clientIp: "10.9.9.9", locale: "de" });
    expect(await requestLoginLink({ email: "ip-last@example.org", clientIp: "10.9.9.9", locale: "de" })).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    expect(await db()`select 1 from login_tokens where email = 'ip-last@example.org'`).toHaveLength(0);
  });

  it("does not let a banned person sign in", async () => {
    const email = "banned@example.org";
    await db()`insert into users (email, banned_at) values (${email}, now())`;
    await requestLoginLink({ email, clientIp: "10.3.0.1", locale: "de" });
    const token = await latestLinkTo(email);
    expect(await signInWithToken(token!, "de")).toEqual({ ok: false, reason: "banned" });
    expect(await db()`select 1 from sessions s join users u on u.id = s.user_id where u.email = ${email}`).toHaveLength(0);
  });
});
