import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { isCrossOriginStateChange } from "~/lib/security.server";
import { action as adminReportsAction, loader as adminReportsLoader } from "~/routes/admin-reports";
import { action as adminSkillsAction, loader as adminSkillsLoader } from "~/routes/admin-skills";
import { loader as exportLoader } from "~/routes/account-export";
import { action as threadAction, loader as threadLoader } from "~/routes/inbox-thread";
import { action as contactAction } from "~/routes/person-contact";
import { action as blockAction } from "~/routes/person-block";
import { loader as searchLoader } from "~/routes/search";
import { blockPerson, sendContactRequest, respondToContactRequest, threadFor } from "~/modules/contact/contact.server";
import { reportContent, moderate } from "~/modules/moderation/moderation.server";
import { newestPosts } from "~/modules/posts/posts.server";
import { deleteAccount } from "~/modules/privacy/privacy.server";
import { signInWithToken, requestLoginLink } from "~/modules/accounts/accounts.server";
import { deliverDueEmails } from "~/modules/mail/mail.server";
import { processMatchOutbox } from "~/modules/matching/matching.server";
import { runSearchWorkerOnce } from "~/modules/search/search.server";

async function drainOutbox() {
  while ((await runSearchWorkerOnce()) + (await processMatchOutbox()) > 0);
}
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";
import { formRequest, getRequest, sessionCookieFor, settle } from "./helpers/http";

useTestDatabase({ CONTACT_REQUESTS_PER_DAY: "3" });

const message = "Hallo! Ich würde gern mit dir zusammenarbeiten.";

describe("contact requests", () => {
  it("mails the recipient without showing their address to the sender; accepting reveals both", async () => {
    const anna = await createPerson({ displayName: "Anna" }, { email: "anna@example.org" });
    const ben = await createPerson({ displayName: "Ben" }, { email: "ben@example.org" });
    const postId = await createTestPost(ben.id);
    const sent = await sendContactRequest({ senderId: anna.id, senderName: "Anna", recipientId: ben.id, postId, message });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    await deliverDueEmails();
    const [mail] = await db()`select subject, text from dev_mailbox where to_address = 'ben@example.org'`;
    expect(mail!.subject).toContain("Anna");
    expect(mail!.text).toContain(message);

    const senderView = await threadFor(sent.requestId, anna.id);
    expect(JSON.stringify(senderView)).not.toContain("ben@example.org");

    expect(await respondToContactRequest(sent.requestId, ben.id, "Ben", "accept")).toBe(true);
    const accepted = await threadFor(sent.requestId, anna.id);
    expect(accepted?.addresses).toEqual({ sender: "anna@example.org", recipient: "ben@example.org" });
  });

  it("allows one open request per pair and post, and a daily limit per sender", async () => {
    const sender = await createPerson();
    const recipients = await Promise.all([createPerson(), createPerson(), createPerson(), createPerson()]);
    expect((await sendContactRequest({ senderId: sender.id, senderName: "S", recipientId: recipients[0].id, message })).ok).toBe(true);
    expect(await sendContactRequest({ senderId: sender.id, senderName: "S", recipientId: recipients[0].id, message })).toEqual({
      ok: false,
      reason: "already_open",
    });
    expect((await sendContactRequest({ senderId: sender.id, senderName: "S", recipientId: recipients[1].id, message })).ok).toBe(true);
    expect((await sendContactRequest({ senderId: sender.id, senderName: "S", recipientId: recipients[2].id, message })).ok).toBe(true);
    expect(await sendContactRequest({ senderId: sender.id, senderName: "S", recipientId: recipients[3].id, message })).toEqual({
      ok: false,
      reason: "daily_limit",
    });
    expect(await db()`select 1 from contact_requests where sender_id = ${sender.id}`).toHaveLength(3);
  });

  it("refuses requests across a block, in both directions, also through the form", async () => {
    const a = await createPerson();
    const b = await createPerson();
    const cookie = await sessionCookieFor(b.id);
    const blockerCookie = await sessionCookieFor(a.id);
    expect(
      (
        await settle(() =>
          blockAction({
            request: formRequest(`/people/${b.id}/block`, { intent: "block" }, blockerCookie),
            params: { personId: b.id },
            context: {},
          }),
        )
      ).status,
    ).toBe(302);
    expect(await sendContactRequest({ senderId: b.id, senderName: "B", recipientId: a.id, message })).toEqual({
      ok: false,
      reason: "blocked",
    });
    expect(await sendContactRequest({ senderId: a.id, senderName: "A", recipientId: b.id, message })).toEqual({
      ok: false,
      reason: "blocked",
    });
    const viaForm = await settle(() =>
      contactAction({ request: formRequest(`/people/${a.id}/contact`, { message }, cookie), params: { personId: a.id }, context: {} }),
    );
    expect(viaForm.status).toBe(409);
    expect(await db()`select 1 from contact_requests where sender_id = ${b.id} or sender_id = ${a.id}`).toHaveLength(0);
  });

  it("hides blocked people and their posts from each other's search", async () => {
    const a = await createPerson({ displayName: "Xaver Blockwart", skillsOffered: ["Imkerei"] });
    const b = await createPerson({ displayName: "Yvonne Sucherin" });
    await createTestPost(a.id, { title: "Xavers Bienenstöcke", skills: "Imkerei" });
    await drainOutbox();
    const cookie = await sessionCookieFor(b.id);
    const search = async (path: string) => {
      const result = await settle(() => searchLoader({ request: getRequest(path, cookie), params: {}, context: {} }));
      return JSON.stringify(result.body);
    };
    expect(await search("/search?tab=people&q=Xaver")).toContain("Blockwart");
    expect(await search("/search?q=Bienenst%C3%B6cke")).toContain("Xavers");
    await blockPerson(a.id, b.id);
    await drainOutbox();
    expect(await search("/search?tab=people&q=Xaver")).not.toContain("Blockwart");
    expect(await search("/search?q=Bienenst%C3%B6cke")).not.toContain("Xavers");
  });

  it("keeps threads and answers to the two participants", async () => {
    const a = await createPerson();
    const b = await createPerson();
    const intruder = await createPerson();
    const sent = await sendContactRequest({ senderId: a.id, senderName: "A", recipientId: b.id, message });
    if (!sent.ok) throw new Error("request failed");
    const cookie = await sessionCookieFor(intruder.id);
    const read = await settle(() =>
      threadLoader({ request: getRequest(`/inbox/${sent.requestId}`, cookie), params: { requestId: sent.requestId }, context: {} }),
    );
    expect(read.status).toBe(404);
    const accept = await settle(() =>
      threadAction({
        request: formRequest(`/inbox/${sent.requestId}`, { intent: "accept" }, cookie),
        params: { requestId: sent.requestId },
        context: {},
      }),
    );
    expect(accept.status).toBe(404);
    // The sender cannot accept their own request either.
    expect(await respondToContactRequest(sent.requestId, a.id, "A", "accept")).toBe(false);
    const [row] = await db()`select status from contact_requests where id = ${sent.requestId}`;
    expect(row!.status).toBe("pending");
  });
});

describe("moderation", () => {
  it("hides a post reported by three different people", async () => {
    const author = await createPerson();
    const postId = await createTestPost(author.id, { title: "Fragwürdiges Angebot" });
    const reporters = await Promise.all([createPerson(), createPerson(), createPerson()]);
    // only established accounts (older than a day) count towards hiding
    await db()`update users set created_at = now() - interval '2 days' where id = any(${reporters.map((reporter) => reporter.id)})`;
    expect(await reportContent(reporters[0].id, "post", postId, "Spam bitte prüfen")).toEqual({ ok: true, autoHidden: false });
    expect(await reportContent(reporters[0].id, "post", postId, "Spam bitte prüfen")).toEqual({ ok: false, reason: "already_reported" });
    await reportContent(reporters[1].id, "post", postId, "Spam bitte prüfen");
    expect((await newestPosts("offer", "de", 100)).map((post) => post.id)).toContain(postId);
    expect(await reportContent(reporters[2].id, "post", postId, "Spam bitte prüfen")).toEqual({ ok: true, autoHidden: true });
    expect((await newestPosts("offer", "de", 100)).map((post) => post.id)).not.toContain(postId);
    await moderate("restore", "post", postId);
    expect((await newestPosts("offer", "de", 100)).map((post) => post.id)).toContain(postId);
  });

  it("bans a person: they cannot sign in and their posts vanish", async () => {
    const person = await createPerson({}, { email: "troll@example.org" });
    const postId = await createTestPost(person.id);
    const cookie = await sessionCookieFor(person.id);
    await moderate("ban", "person", person.id);
    expect((await newestPosts("offer", "de", 100)).map((post) => post.id)).not.toContain(postId);
    expect(await db()`select 1 from sessions where user_id = ${person.id}`).toHaveLength(0);
    expect(cookie).toBeTruthy();
    await requestLoginLink({ email: "troll@example.org", clientIp: "10.7.7.7", locale: "de" });
    await deliverDueEmails();
    const [mail] = await db()<
      { text: string }[]
    >`select text from dev_mailbox where to_address = 'troll@example.org' order by id desc limit 1`;
    const token = mail!.text.match(/token=([A-Za-z0-9_-]+)/)?.[1] ?? "";
    expect(await signInWithToken(token, "de")).toEqual({ ok: false, reason: "banned" });
  });

  it("keeps everyone but admins out of the admin pages, changing nothing", async () => {
    const author = await createPerson();
    const postId = await createTestPost(author.id);
    const normal = await createPerson();
    const cookie = await sessionCookieFor(normal.id);
    expect(
      (await settle(() => adminReportsLoader({ request: getRequest("/admin/reports", cookie), params: {}, context: {} }))).status,
    ).toBe(403);
    expect((await settle(() => adminSkillsLoader({ request: getRequest("/admin/skills", cookie), params: {}, context: {} }))).status).toBe(
      403,
    );
    const hide = await settle(() =>
      adminReportsAction({
        request: formRequest("/admin/reports", { intent: "hide", targetType: "post", targetId: postId }, cookie),
        params: {},
        context: {},
      }),
    );
    expect(hide.status).toBe(403);
    const merge = await settle(() =>
      adminSkillsAction({ request: formRequest("/admin/skills", { fromId: "1", into: "Holzbau" }, cookie), params: {}, context: {} }),
    );
    expect(merge.status).toBe(403);
    const [post] = await db()`select hidden_at from posts where id = ${postId}`;
    expect(post!.hidden_at).toBeNull();
  });
});

describe("privacy", () => {
  it("exports only the signed-in person's own data", async () => {
    const a = await createPerson({ displayName: "Alpha" }, { email: "alpha@example.org" });
    const b = await createPerson({ displayName: "Beta" }, { email: "beta@example.org" });
    await createTestPost(a.id, { title: "Alphas Beitrag" });
    const response = await settle(() => exportLoader({ request: getRequest("/account/export.json", ""), params: {}, context: {} }));
    expect(response.status).toBe(302);
    const raw = (await exportLoader({
      request: getRequest("/account/export.json", await sessionCookieFor(b.id)),
      params: {},
      context: {},
    })) as Response;
    const body = await raw.text();
    expect(body).toContain("beta@example.org");
    expect(body).not.toContain("alpha@example.org");
    expect(body).not.toContain("Alphas Beitrag");
  });

  it("deletes an account leaving no row that names the person", async () => {
    const person = await createPerson({ displayName: "Zora Zufall", bio: "Zoras Bio" }, { email: "zora@example.org" });
    const other = await createPerson();
    await createTestPost(person.id, { title: "Zoras Werkstatt" });
    await sendContactRequest({ senderId: person.id, senderName: "Zora Zufall", recipientId: other.id, message });
    await blockPerson(other.id, person.id);
    await reportContent(other.id, "person", person.id, "Zora Zufall nervt");
    await requestLoginLink({ email: "zora@example.org", clientIp: "10.8.8.8", locale: "de" });
    await deliverDueEmails();
    await drainOutbox();
    const indexed = await db()`select count(*)::int as count from search_posts where title like '%Zoras%'`.catch(() => [{ count: -1 }]);
    expect(indexed[0]!.count, "the person's post was in the search index before").toBeGreaterThan(0);

    expect(await deleteAccount(person.id)).toBe(true);
    await drainOutbox();
    const tables = await db()<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    for (const { table_name } of tables) {
      const rows = await db().unsafe(`select * from "${table_name}"`);
      const text = JSON.stringify(rows);
      expect(text, `table ${table_name}`).not.toContain("zora@example.org");
      expect(text, `table ${table_name}`).not.toContain("Zora Zufall");
      expect(text, `table ${table_name}`).not.toContain("Zoras");
    }
  });
});

describe("cross-origin requests", () => {
  it("refuses state changes whose Origin names another site", () => {
    expect(isCrossOriginStateChange("POST", "/posts/1", "https://evil.example", "nextleipzig.de")).toBe(true);
    expect(isCrossOriginStateChange("POST", "/posts/1", "null", "nextleipzig.de")).toBe(true);
    expect(isCrossOriginStateChange("POST", "/posts/1", "https://nextleipzig.de", "nextleipzig.de")).toBe(false);
    expect(isCrossOriginStateChange("GET", "/posts/1", "https://evil.example", "nextleipzig.de")).toBe(false);
    expect(isCrossOriginStateChange("POST", "/webhooks/resend", "https://api.resend.com", "nextleipzig.de")).toBe(false);
    expect(isCrossOriginStateChange("POST", "/unsubscribe/one-click", "https://mail.example", "nextleipzig.de")).toBe(false);
  });
});
