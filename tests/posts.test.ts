import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { action as editPostAction } from "~/routes/post-edit";
import { action as newPostAction } from "~/routes/post-new";
import { action as postAction, loader as postLoader } from "~/routes/post";
import { findPostForViewer, newestPosts } from "~/modules/posts/posts.server";
import { postSchema } from "~/modules/posts/schema";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost, postForm } from "./helpers/factories";
import { formRequest, getRequest, sessionCookieFor, settle } from "./helpers/http";

useTestDatabase();

async function postRow(postId: string) {
  const [row] = await db()`select title, status, expires_at, updated_at from posts where id = ${postId}`;
  return row;
}

describe("posting an offer and a need", () => {
  it("tags both posts with the same canonical skill, shown in the reader's language", async () => {
    const anna = await createPerson({ displayName: "Anna" });
    const ben = await createPerson({ displayName: "Ben" }, { locale: "en" });
    const offerId = await createTestPost(anna.id, { kind: "offer", title: "Holzwerkstatt mit CNC-Fräse", skills: "Holzbearbeitung" });
    const needId = await createTestPost(ben.id, {
      kind: "need",
      title: "looking for help with woodworking",
      skills: "woodworking",
      location: "remote",
    });

    const offerDe = await findPostForViewer(offerId, undefined, "de");
    const needEn = await findPostForViewer(needId, undefined, "en");
    const needDe = await findPostForViewer(needId, undefined, "de");
    expect(offerDe?.post.skills[0]!.id).toBe(needEn?.post.skills[0]!.id);
    expect(offerDe?.post.skills[0]!.label).toBe("Holzbearbeitung");
    expect(needEn?.post.skills[0]!.label).toBe("woodworking");
    expect(needDe?.post.skills[0]!.label).toBe("Holzbearbeitung");
  });

  it("creates a post through the form action and redirects to it", async () => {
    const author = await createPerson();
    const cookie = await sessionCookieFor(author.id);
    const result = await settle(() =>
      newPostAction({
        request: formRequest("/posts/new", postForm({ title: "Lastenrad zu verleihen", skills: "Lastenradbau, Fahrradreparatur" }), cookie),
        params: {},
        context: {},
      }),
    );
    expect(result.status).toBe(302);
    const location = result.headers.get("location") ?? "";
    expect(location).toMatch(/^\/posts\/\d+/);
    const postId = location.split("/")[2]!.split("?")[0]!;
    const skills =
      await db()`select s.label_de from post_skills ps join skills s on s.id = ps.skill_id where ps.post_id = ${postId} order by position`;
    expect(skills.map((row) => row.label_de)).toEqual(["Lastenradbau", "Fahrradreparatur"]);
  });
});

describe("only the author changes a post", () => {
  it("refuses another person's crafted edit, status change and renewal, and changes nothing", async () => {
    const owner = await createPerson();
    const intruder = await createPerson();
    const postId = await createTestPost(owner.id, { title: "Original" });
    const before = await postRow(postId);
    const cookie = await sessionCookieFor(intruder.id);

    const edit = await settle(() =>
      editPostAction({
        request: formRequest(`/posts/${postId}/edit`, postForm({ title: "Hijacked" }), cookie),
        params: { postId },
        context: {},
      }),
    );
    expect(edit.status).toBe(403);
    for (const intent of ["close", "fulfil", "renew"]) {
      const result = await settle(() =>
        postAction({ request: formRequest(`/posts/${postId}`, { intent }, cookie), params: { postId }, context: {} }),
      );
      expect(result.status).toBe(403);
    }
    expect(await postRow(postId)).toEqual(before);
  });

  it("lets the author close and renew, and an admin edit", async () => {
    const owner = await createPerson();
    const admin = await createPerson({}, { isAdmin: true });
    const postId = await createTestPost(owner.id);
    const ownerCookie = await sessionCookieFor(owner.id);
    expect(
      (
        await settle(() =>
          postAction({ request: formRequest(`/posts/${postId}`, { intent: "close" }, ownerCookie), params: { postId }, context: {} }),
        )
      ).status,
    ).toBe(302);
    expect((await postRow(postId))!.status).toBe("closed");
    const adminCookie = await sessionCookieFor(admin.id);
    const edit = await settle(() =>
      editPostAction({
        request: formRequest(`/posts/${postId}/edit`, postForm({ title: "Vom Admin korrigiert" }), adminCookie),
        params: { postId },
        context: {},
      }),
    );
    expect(edit.status).toBe(302);
    expect((await postRow(postId))!.title).toBe("Vom Admin korrigiert");
  });

  it("answers 404 for malformed ids instead of failing", async () => {
    const someone = await createPerson();
    const cookie = await sessionCookieFor(someone.id);
    const result = await settle(() => postLoader({ request: getRequest("/posts/abc", cookie), params: { postId: "abc" }, context: {} }));
    expect(result.status).toBe(404);
  });
});

describe("validation", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const parse = (fields: Record<string, string>) => postSchema(now).safeParse(Object.fromEntries(postForm(fields)));
  const fieldOf = (result: ReturnType<typeof parse>) =>
    result.success ? [] : result.error.issues.map((issue) => `${issue.path[0]}:${issue.message.split("?")[0]}`);

  it("names the field of each mistake", () => {
    expect(fieldOf(parse({ title: "" }))).toEqual(["title:field.required"]);
    expect(fieldOf(parse({ skills: "" }))).toEqual(["skills:field.tooFewSkills"]);
    expect(fieldOf(parse({ skills: Array.from({ length: 11 }, (_, i) => `Skill ${i}`).join(", ") }))).toEqual([
      "skills:field.tooManySkills",
    ]);
    expect(fieldOf(parse({ category: "weapons" }))).toEqual(["category:field.invalidChoice"]);
    expect(fieldOf(parse({ title: "x".repeat(121) }))).toEqual(["title:field.tooLong"]);
    expect(fieldOf(parse({ expiresOn: "2026-05-31" }))).toEqual(["expiresOn:field.pastDate"]);
    expect(fieldOf(parse({ location: "Atlantis" }))).toEqual(["location:field.invalidChoice"]);
    expect(parse({}).success).toBe(true);
  });

  it("defaults the expiry to 90 days", () => {
    const result = parse({});
    expect(result.success && result.data.expiresOn).toBe("2026-08-30");
  });

  it("stores nothing when the form is invalid", async () => {
    const author = await createPerson();
    const cookie = await sessionCookieFor(author.id);
    const result = await settle(() =>
      newPostAction({
        request: formRequest("/posts/new", postForm({ skills: Array.from({ length: 11 }, (_, i) => `Neu ${i}`).join(", ") }), cookie),
        params: {},
        context: {},
      }),
    );
    expect(result.status).toBe(400);
    expect((result.body as { errors: Record<string, string> }).errors.skills).toMatch(/^field.tooManySkills/);
    expect(await db()`select 1 from posts where author_id = ${author.id}`).toHaveLength(0);
    expect(await db()`select 1 from skills where label_de like 'Neu %'`).toHaveLength(0);
  });
});

describe("expiry", () => {
  it("drops expired posts out of every list, and renewal brings them back", async () => {
    const author = await createPerson();
    const postId = await createTestPost(author.id, { title: "Bald abgelaufen" });
    await db()`update posts set expires_at = now() - interval '1 minute' where id = ${postId}`;
    expect((await newestPosts("offer", "de", 50)).map((post) => post.id)).not.toContain(postId);
    expect(await findPostForViewer(postId, undefined, "de")).toBeUndefined();
    const ownView = await findPostForViewer(postId, { id: author.id, isAdmin: false }, "de");
    expect(ownView?.post.isExpired).toBe(true);

    const cookie = await sessionCookieFor(author.id);
    await settle(() =>
      postAction({ request: formRequest(`/posts/${postId}`, { intent: "renew" }, cookie), params: { postId }, context: {} }),
    );
    expect((await newestPosts("offer", "de", 50)).map((post) => post.id)).toContain(postId);
  });
});
