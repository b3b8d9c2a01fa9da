/**
 * The newcomer's first hour (issue 18): a post's matches are there right after publishing, a long title is
 * refused with a field error instead of being cut, and match cards carry author, role and date.
 */
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { matchPostNow, matchesPendingForPost, postMatchCards, processMatchOutbox } from "~/modules/matching/matching.server";
import { action as newPostAction } from "~/routes/post-new";
import { loader as postLoader } from "~/routes/post";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost, postForm } from "./helpers/factories";
import { formRequest, getRequest, sessionCookieFor, settle } from "./helpers/http";

useTestDatabase();

async function drainMatchOutbox() {
  while ((await processMatchOutbox()) > 0);
}

async function publish(cookie: string, fields: Parameters<typeof postForm>[0]) {
  const result = await settle(() =>
    newPostAction({ request: formRequest("/posts/new", postForm(fields), cookie), params: {}, context: {} }),
  );
  return result;
}

type PostPageData = { matchesPending: boolean; matches: Awaited<ReturnType<typeof postMatchCards>> };

async function postPage(postId: string, cookie?: string) {
  const page = await settle(() => postLoader({ request: getRequest(`/posts/${postId}`, cookie), params: { postId }, context: {} }));
  return page.body as PostPageData;
}

describe("matches visible at once", () => {
  it("computes a new post's matches within the publishing request, with no worker run", async () => {
    const offerer = await createPerson({ displayName: "Olga Offen", role: "scientist" });
    const offerId = await createTestPost(offerer.id, {
      kind: "offer",
      title: "Lasercutter im Labor",
      skills: "Lasercutting",
      location: "Plagwitz",
    });
    await drainMatchOutbox();

    const author = await createPerson({ displayName: "Nora Neu", role: "startup" });
    const cookie = await sessionCookieFor(author.id);
    const result = await publish(cookie!, {
      kind: "need",
      title: "Wer schneidet uns Sperrholz?",
      skills: "Lasercutting",
      location: "Plagwitz",
    });
    expect(result.status).toBe(302);
    const postId = (result.headers.get("location") ?? "").split("/")[2]!.split("?")[0]!;

    // No worker ran, yet the page shows the match, and nothing is left waiting for this post.
    expect(await matchesPendingForPost(postId)).toBe(false);
    const page = await postPage(postId, cookie);
    expect(page.matchesPending).toBe(false);
    expect(page.matches.map((match) => match.other.id)).toEqual([offerId]);
    // The card's data: author, role and date of the other post.
    expect(page.matches[0]?.other).toMatchObject({ authorName: "Olga Offen", role: "scientist" });
    expect(page.matches[0]?.other.postedAt).toBeInstanceOf(Date);
  });

  it("leaves the work to the worker when it fails, and the page says matches are coming until the worker ran", async () => {
    const offerer = await createPerson();
    const offerId = await createTestPost(offerer.id, { kind: "offer", title: "Siebdruckwerkstatt", skills: "Siebdruck" });
    await drainMatchOutbox();
    const author = await createPerson();
    const cookie = await sessionCookieFor(author.id);
    const needId = await createTestPost(author.id, { kind: "need", title: "Siebdruck für Beutel", skills: "Siebdruck" });

    const outcome = await matchPostNow(needId, {
      update: async () => {
        throw new Error("canceling statement due to statement timeout");
      },
    });
    expect(outcome).toBe("deferred");
    expect(await matchesPendingForPost(needId)).toBe(true);
    const pending = await postPage(needId, cookie);
    expect(pending.matchesPending).toBe(true);
    expect(pending.matches).toHaveLength(0);
    // Others never see the notice (only the author waits for it).
    expect((await postPage(needId)).matchesPending).toBe(false);

    await drainMatchOutbox();
    const done = await postPage(needId, cookie);
    expect(done.matchesPending).toBe(false);
    expect(done.matches.map((match) => match.other.id)).toEqual([offerId]);
  });

  it("writes nothing when the update fails halfway", async () => {
    const author = await createPerson();
    const needId = await createTestPost(author.id, { kind: "need", title: "Hilfe beim Lehmputz", skills: "Lehmbau" });
    const before = await db()`select count(*)::int as n from matches`;
    const outcome = await matchPostNow(needId, {
      update: async (tx) => {
        await tx`delete from matches`;
        throw new Error("boom");
      },
    });
    expect(outcome).toBe("deferred");
    expect(await db()`select count(*)::int as n from matches`).toEqual(before);
  });
});

describe("long titles", () => {
  it("refuses a title over 120 characters with a field error and stores nothing, instead of cutting it", async () => {
    const author = await createPerson();
    const cookie = await sessionCookieFor(author.id);
    const title = `${"Sehr langer Titel ".repeat(7)}Ende`;
    expect(title.length).toBeGreaterThan(120);
    const result = await publish(cookie!, { title });
    expect(result.status).toBe(400);
    const body = result.body as { errors: Record<string, string>; values: Record<string, string> };
    expect(body.errors.title).toBe("field.tooLong?max=120");
    // The text comes back whole, so the person can shorten it themselves.
    expect(body.values.title).toBe(title);
    expect(await db()`select 1 from posts where author_id = ${author.id}`).toHaveLength(0);
  });
});
