/**
 * Issue 14, points 2 and 6–9 (points 1 and 5: request-limits.test.ts, point 3: redirects.test.ts, the generated
 * bad input of point 7: bad-input.test.ts): the dev mailbox in production, moderation abuse, bad text, calendar
 * dates, and what the export tells a sender.
 */
import crypto from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";
import { fields } from "~/lib/forms";
import { respondToContactRequest, sendContactRequest } from "~/modules/contact/contact.server";
import { setMailTransport } from "~/modules/mail/mail.server";
import { reportContent } from "~/modules/moderation/moderation.server";
import { exportPersonalData } from "~/modules/privacy/privacy.server";
import { postSchema } from "~/modules/posts/schema";
import { action as threadAction } from "~/routes/inbox-thread";
import { action as contactAction } from "~/routes/person-contact";
import { action as newPostAction } from "~/routes/post-new";
import { action as profileAction } from "~/routes/profile";
import { action as reportAction } from "~/routes/report";
import { loader as devMailLoader } from "~/routes/dev-mail";
import { useAppServer } from "./helpers/app-server";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost, createUser, postForm } from "./helpers/factories";
import { formRequest, sessionCookieFor, settle } from "./helpers/http";

const WEBHOOK_SECRET = `whsec_${Buffer.from("hardening-webhook-secret-0123456789").toString("base64")}`;
useTestDatabase({ RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET });
const app = useAppServer();

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const NOW = new Date("2026-12-04T12:00:00Z");

async function status(path: string, init: RequestInit = {}) {
  const response = await fetch(`${app.url}${path}`, { redirect: "manual", ...init, headers: { origin: app.url, ...init.headers } });
  await response.arrayBuffer();
  return { status: response.status, location: response.headers.get("location") };
}

async function ageAccounts(userIds: string[], interval = "2 days") {
  await db()`update users set created_at = now() - ${interval}::interval where id = any(${userIds})`;
}

describe("point 2: the development mailbox", () => {
  const fromAddress = (address: string) => new Request("http://localhost/dev/mail", { headers: { "x-nl-client-ip": address } });
  const open = async (address = "127.0.0.1") =>
    (await settle(() => devMailLoader({ request: fromAddress(address), params: {}, context: {} }))).status;

  it("does not exist in production, even when the operator keeps emails in the outbox", async () => {
    try {
      setEnvForTests({
        NODE_ENV: "production",
        APP_SECRET: "0123456789abcdef0123456789abcdef",
        MAIL_TRANSPORT: "outbox",
        WORKERS: "off",
        APP_URL: "https://nextleipzig.example",
      });
      setMailTransport(undefined);
      expect(await open()).toBe(404);
    } finally {
      setEnvForTests({
        NODE_ENV: "test",
        WORKERS: "off",
        RESEND_API_KEY: undefined,
        MEILI_HOST: undefined,
        RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET,
      });
      setMailTransport(undefined);
    }
    expect(await open()).toBe(200);
  });

  it("answers only requests from this machine, whatever X-Forwarded-For says", async () => {
    expect(await open("::1")).toBe(200);
    expect(await open("192.168.1.20")).toBe(404);
    const forwarded = new Request("http://localhost/dev/mail", {
      headers: { "x-nl-client-ip": "10.0.0.5", "x-forwarded-for": "127.0.0.1" },
    });
    expect((await settle(() => devMailLoader({ request: forwarded, params: {}, context: {} }))).status).toBe(404);
    // over HTTP the server puts the socket's address there; a client's own header is overwritten
    const response = await fetch(`${app.url}/dev/mail`, { headers: { "x-nl-client-ip": "10.0.0.5" } });
    expect(response.status).toBe(200);
  });
});

describe("point 6: moderation cannot be abused", () => {
  async function hidden(postId: string) {
    const [row] = await db()<{ hidden: boolean }[]>`select hidden_at is not null as hidden from posts where id = ${postId}`;
    return row!.hidden;
  }

  it("lets three fresh accounts or accounts without a profile report, but not hide a post", async () => {
    const author = await createPerson();
    const postId = await createTestPost(author.id, { title: "Ein ganz normales Angebot" });
    const fresh = await Promise.all([createPerson(), createPerson(), createPerson()]);
    for (const reporter of fresh)
      expect(await reportContent(reporter.id, "post", postId, "Das ist Spam")).toEqual({ ok: true, autoHidden: false });
    const withoutProfile = await Promise.all([createUser(), createUser(), createUser()]);
    await ageAccounts(withoutProfile.map((user) => user.id));
    for (const reporter of withoutProfile)
      expect(await reportContent(reporter.id, "post", postId, "Das ist Spam")).toEqual({ ok: true, autoHidden: false });
    expect(await hidden(postId)).toBe(false);
    // the reports are all there for the admins
    expect(await db()`select 1 from reports where target_type = 'post' and target_id = ${postId}`).toHaveLength(6);
  });

  it("hides a post once three established people (a profile, an account older than a day) report it", async () => {
    const author = await createPerson();
    const postId = await createTestPost(author.id, { title: "Wirklich fragwürdig" });
    const reporters = await Promise.all([createPerson(), createPerson(), createPerson()]);
    await ageAccounts(
      reporters.map((reporter) => reporter.id),
      "23 hours",
    );
    for (const reporter of reporters) await reportContent(reporter.id, "post", postId, "Das ist Spam");
    expect(await hidden(postId)).toBe(false);
    await db()`update reports set resolved_at = now(), resolution = 'dismissed' where target_id = ${postId}`;
    await ageAccounts(
      reporters.map((reporter) => reporter.id),
      "25 hours",
    );
    const results = [];
    for (const reporter of reporters) results.push(await reportContent(reporter.id, "post", postId, "Das ist Spam"));
    expect(results.map((result) => result.ok && result.autoHidden)).toEqual([false, false, true]);
    expect(await hidden(postId)).toBe(true);
  });

  it("refuses reports of one's own post or of oneself", async () => {
    const author = await createPerson();
    await ageAccounts([author.id]);
    const postId = await createTestPost(author.id);
    expect(await reportContent(author.id, "post", postId, "Selbst gemeldet")).toEqual({ ok: false, reason: "own" });
    expect(await reportContent(author.id, "person", author.id, "Selbst gemeldet")).toEqual({ ok: false, reason: "own" });
    const cookie = await sessionCookieFor(author.id);
    const viaForm = await settle(() =>
      reportAction({
        request: formRequest("/report", { targetType: "post", targetId: postId, reason: "Selbst gemeldet" }, cookie),
        params: {},
        context: {},
      }),
    );
    expect(viaForm.status).toBe(400);
    expect(await db()`select 1 from reports where reporter_id = ${author.id}`).toHaveLength(0);
  });

  it("refuses POST /posts/new from someone without a profile, over HTTP too", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const direct = await settle(() => newPostAction({ request: formRequest("/posts/new", postForm(), cookie), params: {}, context: {} }));
    expect(direct.status).toBe(302);
    expect(direct.headers.get("location")).toBe("/profile");
    const body = new URLSearchParams(Object.fromEntries(postForm()) as Record<string, string>).toString();
    expect(await status("/posts/new", { method: "POST", headers: { ...FORM, cookie }, body })).toEqual({
      status: 302,
      location: "/profile",
    });
    expect(await db()`select 1 from posts where author_id = ${user.id}`).toHaveLength(0);
  });
});

describe("point 7: bad text is a field error, never a 500", () => {
  const NUL = "Hallo\u0000Welt, das ist ein Text";

  it("refuses NUL and other control characters in every text field, and keeps newlines and tabs in long texts", async () => {
    const person = await createPerson();
    const other = await createPerson();
    const cookie = await sessionCookieFor(person.id);
    const run = (
      action: (args: ActionFunctionArgs) => Promise<unknown>,
      path: string,
      form: Record<string, string> | FormData,
      params: Record<string, string> = {},
    ) => settle(() => action({ request: formRequest(path, form, cookie), params, context: {} }));
    const errorsOf = (result: { status: number; body: unknown }) => {
      expect(result.status).toBe(400);
      return (result.body as { errors: Record<string, string> }).errors;
    };

    expect(errorsOf(await run(newPostAction, "/posts/new", postForm({ title: "Werkbank\u0000" }))).title).toBe("field.controlCharacters");
    expect(errorsOf(await run(newPostAction, "/posts/new", postForm({ description: NUL }))).description).toBe("field.controlCharacters");
    expect(errorsOf(await run(newPostAction, "/posts/new", postForm({ title: "Werk\tbank" }))).title).toBe("field.controlCharacters");
    expect(errorsOf(await run(newPostAction, "/posts/new", postForm({ skills: "Holzbau\u0000" }))).skills).toBe("field.controlCharacters");
    const profile = { displayName: "Mia", role: "craftsperson", district: "Plagwitz", languages: "de", digestFrequency: "weekly" };
    expect(errorsOf(await run(profileAction, "/profile", { ...profile, displayName: "Mia\u0000" })).displayName).toBe(
      "field.controlCharacters",
    );
    expect(errorsOf(await run(profileAction, "/profile", { ...profile, bio: NUL })).bio).toBe("field.controlCharacters");
    expect(errorsOf(await run(profileAction, "/profile", { ...profile, website: "https://a.example/\u0007" })).website).toBe(
      "field.controlCharacters",
    );
    expect(errorsOf(await run(contactAction, `/people/${other.id}/contact`, { message: NUL }, { personId: other.id })).message).toBe(
      "field.controlCharacters",
    );
    expect(errorsOf(await run(reportAction, "/report", { targetType: "person", targetId: other.id, reason: NUL })).reason).toBe(
      "field.controlCharacters",
    );

    const sent = await sendContactRequest({
      senderId: other.id,
      senderName: "O",
      recipientId: person.id,
      message: "Hallo, wollen wir zusammen bauen?",
    });
    if (!sent.ok) throw new Error("not sent");
    await respondToContactRequest(sent.requestId, person.id, "P", "accept");
    const thread = await run(threadAction, `/inbox/${sent.requestId}`, { intent: "message", body: NUL }, { requestId: sent.requestId });
    expect(errorsOf(thread).body).toBe("field.controlCharacters");
    expect(await db()`select 1 from contact_messages where request_id = ${sent.requestId}`).toHaveLength(0);

    // newline and tab are part of long texts
    const kept = await run(newPostAction, "/posts/new", postForm({ description: "Zeile eins\r\n\tZeile zwei" }));
    expect(kept.status).toBe(302);
    const [post] = await db()<{ description: string }[]>`select description from posts where author_id = ${person.id}`;
    expect(post!.description).toBe("Zeile eins\n\tZeile zwei");
  });

  it("answers malformed path parameters, unknown people and bad redirect targets with 4xx or a safe redirect", async () => {
    const person = await createPerson();
    const cookie = await sessionCookieFor(person.id);
    expect((await status("/skills/%00")).status).toBe(400);
    expect((await status("/feeds/skills/%00.atom")).status).toBe(400);
    expect((await status("/skills/%E0%A4%A")).status).toBe(400);
    expect((await status("/search?q=%00")).status).toBe(400);
    expect((await status("/skills/gibt-es-nicht")).status).toBe(404);
    expect(
      (await status("/people/999999999999/block", { method: "POST", headers: { ...FORM, cookie }, body: "intent=block" })).status,
    ).toBe(404);
    expect((await status("/people/abc/block", { method: "POST", headers: { ...FORM, cookie }, body: "intent=unblock" })).status).toBe(404);
    expect(await db()`select 1 from blocks where blocker_id = ${person.id}`).toHaveLength(0);
    expect((await status("/posts/%C4%80", { method: "POST", headers: { ...FORM, cookie }, body: "intent=nonsense" })).status).toBe(404);
    for (const redirectTo of ["/ok\r\nSet-Cookie: x=1", "/Grüße/日本"]) {
      const body = new URLSearchParams({ email: `r${crypto.randomInt(1e9)}@example.org`, redirectTo }).toString();
      const answer = await status("/login", { method: "POST", headers: FORM, body });
      expect(answer.status).toBe(302);
      expect(answer.location).toMatch(/^\/login\/sent/);
    }
    const admin = await createPerson({}, { isAdmin: true });
    const adminCookie = await sessionCookieFor(admin.id);
    const merge = await status("/admin/skills", {
      method: "POST",
      headers: { ...FORM, cookie: adminCookie },
      body: "fromId=1&into=Holz%00bau",
    });
    expect(merge.status).toBeLessThan(500);
    expect(merge.status).not.toBe(200);
  });

  it("answers a validly signed webhook whose recipients are not addresses with 400", async () => {
    for (const payload of [
      { type: "email.bounced", data: { to: [1, {}], bounce: { type: "Permanent" } } },
      { type: "email.complained", data: { to: "a\u0000@example.org" } },
    ]) {
      const body = JSON.stringify(payload);
      const id = `msg_${crypto.randomUUID()}`;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = crypto
        .createHmac("sha256", Buffer.from(WEBHOOK_SECRET.slice(6), "base64"))
        .update(`${id}.${timestamp}.${body}`)
        .digest("base64");
      const headers = {
        "svix-id": id,
        "svix-timestamp": timestamp,
        "svix-signature": `v1,${signature}`,
        "content-type": "application/json",
      };
      expect((await status("/webhooks/resend", { method: "POST", headers, body })).status).toBe(400);
    }
    expect(await db()`select 1 from email_events`).toHaveLength(0);
  });
});

describe("point 8: silent acceptance", () => {
  const parse = (values: Record<string, string>) => postSchema(NOW).safeParse(Object.fromEntries(postForm(values)));
  const errorOf = (result: ReturnType<typeof parse>, field: string) =>
    result.success ? undefined : result.error.issues.find((issue) => issue.path[0] === field)?.message;

  it.each(["2027-02-30", "2027-02-29", "2027-04-31", "2027-13-01", "2027-00-10", "2027-06-00"])(
    "refuses %s, which is not a day of the calendar",
    (expiresOn) => {
      expect(errorOf(parse({ expiresOn }), "expiresOn")).toBe("field.invalidDate");
    },
  );

  it("accepts real days, also 29 February of a leap year", () => {
    expect(parse({ expiresOn: "2027-02-28" }).success).toBe(true);
    expect(postSchema(new Date("2027-06-01T00:00:00Z")).safeParse(Object.fromEntries(postForm({ expiresOn: "2028-02-29" }))).success).toBe(
      true,
    );
  });

  it.each([
    ["zero-width spaces", "\u200b\u200b\u200b"],
    ["a zero-width joiner and a word joiner", "\u200d\u2060"],
    ["a byte-order mark", "\ufeff"],
    ["Hangul fillers", "\u3164\u3164"],
    ["a braille blank", "\u2800"],
    ["no-break and ideographic spaces", "\u00a0\u3000"],
    ["bidi marks", "\u200e\u200f\u202e"],
  ])("refuses a title of only %s", (_name, title) => {
    expect(errorOf(parse({ title }), "title")).toBe("field.required");
  });

  it("keeps titles whose invisible characters sit beside visible ones, and empties an invisible-only optional text", () => {
    expect(parse({ title: "Werk\u200bbank" }).success).toBe(true);
    expect(fields.optionalText(100).parse("\u200b\u200b")).toBe("");
  });
});

describe("point 9: what a sender learns from the export", () => {
  it("shows a declined request to its sender as no reply, and as declined to the recipient", async () => {
    const sender = await createPerson();
    const recipient = await createPerson();
    const sent = await sendContactRequest({
      senderId: sender.id,
      senderName: "S",
      recipientId: recipient.id,
      message: "Hallo, können wir reden?",
    });
    if (!sent.ok) throw new Error("not sent");
    const pending = await exportPersonalData(sender.id);
    await respondToContactRequest(sent.requestId, recipient.id, "R", "decline");
    const senderExport = await exportPersonalData(sender.id);
    const recipientExport = await exportPersonalData(recipient.id);
    const request = (data: typeof senderExport) => data.contactRequests.find((row) => String(row.id) === String(sent.requestId));
    expect(request(senderExport)).toMatchObject({ direction: "sent", status: "no reply", responded_at: null });
    // the export before and after the decline look the same to the sender
    expect(request(senderExport)).toEqual(request(pending));
    expect(JSON.stringify(senderExport)).not.toContain("declined");
    expect(request(recipientExport)).toMatchObject({ direction: "received", status: "declined" });
  });
});
