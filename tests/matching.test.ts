import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { LEIPZIG_DISTRICTS } from "~/lib/reference";
import {
  countNewMatchesForUser,
  matchesForUser,
  newMatchesForUser,
  postMatchCards,
  processMatchOutbox,
  recomputeAllMatches,
} from "~/modules/matching/matching.server";
import { composeDigest } from "~/modules/digest/digest.server";
import { EXACT_TIER, inverseDocumentFrequency, scoreMatch, freshness } from "~/modules/matching/scoring";
import { enqueueChange } from "~/modules/outbox/outbox.server";
import { changePostStatus, updatePost } from "~/modules/posts/posts.server";
import { postSchema } from "~/modules/posts/schema";
import { action as matchesAction, loader as matchesLoader } from "~/routes/matches";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost, postForm } from "./helpers/factories";
import { formRequest, getRequest, sessionCookieFor, settle } from "./helpers/http";

useTestDatabase();

/** Applies every pending match event, as the worker would. */
async function syncMatches() {
  while ((await processMatchOutbox()) > 0);
}

type Row = {
  need_post_id: string | null;
  offer_post_id: string | null;
  need_user_id: string;
  offer_user_id: string;
  score: number;
  mutual: boolean;
  first_seen_at: Date;
  updated_at: Date;
  reasons: { shared: number[]; near: [number, number][] };
};

async function matchesOfPost(postId: string) {
  return db()<Row[]>`
    select need_post_id, offer_post_id, need_user_id, offer_user_id, score, mutual, first_seen_at, updated_at, reasons
    from matches where need_post_id = ${postId} or offer_post_id = ${postId}
    order by score desc`;
}

async function matchBetween(needPostId: string, offerPostId: string) {
  const [row] = await db()<Row[]>`
    select need_post_id, offer_post_id, need_user_id, offer_user_id, score, mutual, first_seen_at, updated_at, reasons
    from matches where need_post_id = ${needPostId} and offer_post_id = ${offerPostId}`;
  return row;
}

async function skillId(label: string) {
  const [row] = await db()<{ id: string }[]>`select id from skills where label_de = ${label}`;
  return Number(row!.id);
}

async function postInput(fields: Parameters<typeof postForm>[0]) {
  const parsed = postSchema().safeParse(Object.fromEntries(postForm(fields)));
  if (!parsed.success) throw new Error("bad post");
  return parsed.data;
}

describe("incremental matching through the outbox", () => {
  it("matches a German need with an English offer through the taxonomy and lists exactly the shared skills", async () => {
    const anna = await createPerson({ displayName: "Anna", district: "Plagwitz" });
    const ben = await createPerson({ displayName: "Ben", district: "Plagwitz" }, { locale: "en" });
    const needId = await createTestPost(anna.id, {
      kind: "need",
      title: "Suche Hilfe beim Möbelbau",
      skills: "Möbelbau, Lehmbau",
      location: "Plagwitz",
      exchangeMode: "volunteer",
    });
    const offerId = await createTestPost(ben.id, {
      kind: "offer",
      title: "Furniture workshop",
      skills: "furniture making, welding",
      location: "Plagwitz",
      exchangeMode: "volunteer",
    });
    await syncMatches();

    const match = await matchBetween(needId, offerId);
    expect(match).toBeDefined();
    expect(match!.reasons.shared).toEqual([await skillId("Möbelbau")]);
    expect(match!.need_user_id).toBe(anna.id);
    expect(match!.offer_user_id).toBe(ben.id);

    const [forPostDe] = await postMatchCards(needId, "de");
    expect(forPostDe!.other.id).toBe(offerId);
    expect(forPostDe!.reasonText).toBe("bietet Möbelbau · gleicher Stadtteil (Plagwitz) · ehrenamtlich");
    const [forPostEn] = await postMatchCards(offerId, "en");
    expect(forPostEn!.other.id).toBe(needId);
    expect(forPostEn!.reasonText).toBe("looks for furniture making · same neighbourhood (Plagwitz) · volunteer");

    // The SQL computes the same score as scoring.ts for the same facts.
    const [{ visible, withSkill }] = await db()<[{ visible: number; withSkill: number }]>`
      select (select count(*)::int from posts where status = 'open') as visible,
             (select count(*)::int from post_skills ps join posts p on p.id = ps.post_id
              where p.status = 'open' and ps.skill_id = ${await skillId("Möbelbau")}) as "withSkill"`;
    const expected = scoreMatch({
      exact: true,
      skillWeight: inverseDocumentFrequency(visible, withSkill),
      place: "district",
      rolesComplement: false,
      freshness: freshness(0),
      exchange: "same",
    });
    expect(match!.score).toBeCloseTo(expected, 3);
  });

  it("ranks an offer sharing a rare skill above one sharing a common skill", async () => {
    const seeker = await createPerson();
    const rareOffer = await createTestPost((await createPerson()).id, { kind: "offer", skills: "Imkerei", location: "Zentrum" });
    const commonOffer = await createTestPost((await createPerson()).id, { kind: "offer", skills: "Kompostierung", location: "Zentrum" });
    for (let i = 0; i < 5; i++)
      await createTestPost((await createPerson()).id, { kind: "need", skills: "Kompostierung", location: "Connewitz" });
    const needId = await createTestPost(seeker.id, { kind: "need", skills: "Imkerei, Kompostierung", location: "Zentrum" });
    await syncMatches();

    const rare = await matchBetween(needId, rareOffer);
    const common = await matchBetween(needId, commonOffer);
    expect(rare!.score).toBeGreaterThan(common!.score);
    const best = await postMatchCards(needId, "de");
    expect(best.map((match) => match.other.id).slice(0, 2)).toEqual([rareOffer, commonOffer]);
  });

  it("counts a strongly related skill partly and says which one the other side offers", async () => {
    const needId = await createTestPost((await createPerson()).id, { kind: "need", skills: "3D-Druck", location: "Lindenau" });
    const relatedOffer = await createTestPost((await createPerson()).id, { kind: "offer", skills: "Laserschneiden", location: "Lindenau" });
    await syncMatches();
    const match = await matchBetween(needId, relatedOffer);
    expect(match!.reasons.shared).toEqual([]);
    expect(match!.reasons.near).toEqual([[await skillId("3D-Druck"), await skillId("Laserschneiden")]]);
    expect(match!.score).toBeLessThan(EXACT_TIER);
    const [shown] = await postMatchCards(needId, "de");
    expect(shown!.reasonText).toContain("bietet Laserschneiden – verwandt mit 3D-Druck");
    const [fromOffer] = await postMatchCards(relatedOffer, "en");
    expect(fromOffer!.reasonText).toContain("looks for 3D printing – related to laser cutting");
  });

  it("does not match on a weak relation alone or on a broad group, so a list may stay short", async () => {
    // Instrumentenbau and Weidenflechten share the broad ESCO group "handicrafts"; Glasbläserei is only a
    // neighbour of Bleiverglasung (0.4)
    const instrumentNeed = await createTestPost((await createPerson()).id, {
      kind: "need",
      skills: "Instrumentenbau",
      location: "Connewitz",
    });
    const glassNeed = await createTestPost((await createPerson()).id, { kind: "need", skills: "Glasbläserei", location: "Connewitz" });
    await createTestPost((await createPerson()).id, { kind: "offer", skills: "Weidenflechten", location: "Connewitz" });
    await createTestPost((await createPerson()).id, { kind: "offer", skills: "Bleiverglasung", location: "Connewitz" });
    await syncMatches();
    expect(await postMatchCards(instrumentNeed, "de")).toEqual([]);
    expect(await postMatchCards(glassNeed, "de")).toEqual([]);
  });

  it("ranks an exact fit before a merely related one, even a mutual one next door", async () => {
    const me = await createPerson({ district: "Gohlis-Süd" });
    const near = await createPerson({ district: "Gohlis-Süd" });
    const exact = await createPerson({ district: "Probstheida" });
    const myNeed = await createTestPost(me.id, { kind: "need", skills: "Holzbau", location: "Gohlis-Süd", exchangeMode: "barter" });
    await createTestPost(me.id, { kind: "offer", skills: "Imkerei", location: "Gohlis-Süd" });
    const relatedOffer = await createTestPost(near.id, {
      kind: "offer",
      skills: "Zimmerei",
      location: "Gohlis-Süd",
      exchangeMode: "barter",
    });
    await createTestPost(near.id, { kind: "need", skills: "Imkerei", location: "Gohlis-Süd" });
    const exactOffer = await createTestPost(exact.id, { kind: "offer", skills: "Holzbau", location: "Probstheida", exchangeMode: "paid" });
    await syncMatches();
    expect((await matchBetween(myNeed, relatedOffer))!.mutual).toBe(true);
    const shown = await postMatchCards(myNeed, "de");
    expect(shown.map((match) => match.other.id)).toEqual([exactOffer, relatedOffer]);
    const page = await matchesForUser(me.id, "de");
    expect(page.sections.find((section) => section.key === `p${myNeed}`)?.items.map((match) => match.other.id)).toEqual([
      exactOffer,
      relatedOffer,
    ]);
  });

  it("shows a person once, with all the ways they fit: their profile and near-identical posts", async () => {
    const leo = await createPerson({ displayName: "Leo", skillsOffered: ["3D-Druck"] });
    const first = await createTestPost(leo.id, { kind: "offer", title: "3D-Druck für Ersatzteile", skills: "3D-Druck" });
    const second = await createTestPost(leo.id, { kind: "offer", title: "3D-Druck-Service", skills: "3D-Druck" });
    const other = await createTestPost((await createPerson()).id, { kind: "offer", title: "Druckwerkstatt", skills: "3D-Druck" });
    const seeker = await createPerson();
    const needId = await createTestPost(seeker.id, { kind: "need", skills: "3D-Druck" });
    await syncMatches();

    const cards = await postMatchCards(needId, "de");
    expect(cards.filter((card) => card.other.userId === leo.id)).toHaveLength(1);
    const leoCard = cards.find((card) => card.other.userId === leo.id)!;
    expect([leoCard.other.id, ...leoCard.alsoVia.map((way) => way.id)].sort()).toEqual([first, second, leo.id].sort());
    expect(leoCard.other).toMatchObject({ authorName: "Leo", role: "craftsperson", district: "Plagwitz" });
    expect(cards.map((card) => card.other.id)).toContain(other);

    const digest = await newMatchesForUser(seeker.id, null, 10);
    expect(digest.filter((match) => match.other.userId === leo.id)).toHaveLength(1);
    const email = await composeDigest(
      { id: seeker.id, locale: "de", display_name: "Sina" },
      { since: null, until: new Date(Date.now() + 60_000) },
    );
    // one entry ("* title") for Leo, whose other post and profile are named under it
    const entries = email!.text.split("\n").filter((line) => line.startsWith("* "));
    expect(entries.filter((line) => line.includes("3D-Druck-Service") || line.includes("3D-Druck für Ersatzteile"))).toHaveLength(1);
    expect(email!.text).toMatch(/passt auch über: (3D-Druck-Service|3D-Druck für Ersatzteile), Profil|passt auch über: .*Profil/);
    expect(await countNewMatchesForUser(seeker.id, null)).toBe(new Set(digest.map((match) => match.other.userId)).size);
  });

  it("never matches one's own posts", async () => {
    const person = await createPerson();
    const needId = await createTestPost(person.id, { kind: "need", skills: "Drechseln" });
    const offerId = await createTestPost(person.id, { kind: "offer", skills: "Drechseln" });
    await syncMatches();
    expect(await matchBetween(needId, offerId)).toBeUndefined();
    expect(await db()`select 1 from matches where need_user_id = ${person.id} and offer_user_id = ${person.id}`).toHaveLength(0);
  });

  it("removes a post's matches when it is closed, brings them back when reopened, and keeps first_seen_at across edits", async () => {
    const author = await createPerson();
    const other = await createPerson();
    const needId = await createTestPost(author.id, { kind: "need", skills: "Polsterei" });
    const offerId = await createTestPost(other.id, { kind: "offer", skills: "Polsterei" });
    await syncMatches();
    const first = await matchBetween(needId, offerId);
    expect(first).toBeDefined();

    expect(
      await updatePost(
        offerId,
        { id: other.id, isAdmin: false },
        await postInput({ kind: "offer", title: "Polsterwerkstatt (neu)", skills: "Polsterei" }),
      ),
    ).toBe(true);
    await syncMatches();
    const edited = await matchBetween(needId, offerId);
    expect(edited!.first_seen_at.getTime()).toBe(first!.first_seen_at.getTime());
    expect(edited!.updated_at.getTime()).toBeGreaterThanOrEqual(first!.updated_at.getTime());

    expect(await changePostStatus(offerId, { id: other.id, isAdmin: false }, "closed")).toBe(true);
    await syncMatches();
    expect(await matchesOfPost(offerId)).toHaveLength(0);

    await changePostStatus(offerId, { id: other.id, isAdmin: false }, "open");
    await syncMatches();
    expect(await matchBetween(needId, offerId)).toBeDefined();
  });

  it("excludes hidden, expired and banned authors' posts and people who blocked each other", async () => {
    const seeker = await createPerson();
    const hiddenAuthor = await createPerson();
    const expiredAuthor = await createPerson();
    const bannedAuthor = await createPerson();
    const blocker = await createPerson();
    const skills = "Vergolden, Stuckarbeiten";
    const needId = await createTestPost(seeker.id, { kind: "need", skills });
    const hiddenId = await createTestPost(hiddenAuthor.id, { kind: "offer", skills });
    const expiredId = await createTestPost(expiredAuthor.id, { kind: "offer", skills });
    const bannedId = await createTestPost(bannedAuthor.id, { kind: "offer", skills });
    const blockedId = await createTestPost(blocker.id, { kind: "offer", skills });
    await syncMatches();
    for (const offerId of [hiddenId, expiredId, bannedId, blockedId]) expect(await matchBetween(needId, offerId)).toBeDefined();

    // Expiry happens without an event: reads leave expired posts out at once.
    await db()`update posts set expires_at = now() - interval '1 minute' where id = ${expiredId}`;
    // A block is excluded at read time too, before its event is processed.
    await db()`insert into blocks (blocker_id, blocked_id) values (${blocker.id}, ${seeker.id})`;
    const visibleNow = (await newMatchesForUser(seeker.id, null, 100)).map((match) => match.other.id);
    expect(visibleNow).not.toContain(expiredId);
    expect(visibleNow).not.toContain(blockedId);

    await db().begin(async (tx) => {
      await tx`update posts set hidden_at = now() where id = ${hiddenId}`;
      await enqueueChange(tx, "post", [hiddenId, expiredId]);
      await tx`update users set banned_at = now() where id = ${bannedAuthor.id}`;
      await enqueueChange(tx, "person", [bannedAuthor.id, blocker.id]);
    });
    await syncMatches();
    for (const offerId of [hiddenId, expiredId, bannedId, blockedId]) expect(await matchBetween(needId, offerId)).toBeUndefined();
  });

  it("matches people with people and posts with people", async () => {
    const maker = await createPerson({ displayName: "Mara", skillsOffered: ["Lehmofenbau"], skillsSought: [] });
    const baker = await createPerson({ displayName: "Bea", skillsOffered: [], skillsSought: ["Lehmofenbau"] });
    const needId = await createTestPost((await createPerson()).id, { kind: "need", skills: "Lehmofenbau" });
    await syncMatches();

    const forBaker = await newMatchesForUser(baker.id, null, 50);
    const person = forBaker.find((match) => match.other.kind === "person" && match.other.id === maker.id);
    expect(person).toMatchObject({
      group: "people",
      other: { kind: "person", path: `/people/${maker.id}`, title: "Mara", side: "offer" },
      mine: { postId: null, side: "need" },
    });

    const forMaker = await newMatchesForUser(maker.id, null, 50);
    expect(forMaker.find((match) => match.other.id === needId)).toMatchObject({
      group: "needs_for_you",
      other: { kind: "post", path: `/posts/${needId}` },
    });
    expect(forMaker.find((match) => match.other.kind === "person" && match.other.id === baker.id)?.group).toBe("people");
  });

  it("loses a post's and a person's matches with them when they are deleted", async () => {
    const gone = await createPerson({ skillsOffered: ["Chorleitung"] });
    const needId = await createTestPost((await createPerson()).id, { kind: "need", skills: "Chorleitung" });
    const offerId = await createTestPost((await createPerson()).id, { kind: "offer", skills: "Chorleitung" });
    await syncMatches();
    expect(await matchBetween(needId, offerId)).toBeDefined();
    expect(await db()`select 1 from matches where need_post_id = ${needId} and offer_person_id = ${gone.id}`).toHaveLength(1);

    await db()`delete from posts where id = ${offerId}`;
    await db()`delete from users where id = ${gone.id}`;
    expect(await matchesOfPost(offerId)).toHaveLength(0);
    expect(await db()`select 1 from matches where need_user_id = ${gone.id} or offer_user_id = ${gone.id}`).toHaveLength(0);
    // The events of deleted rows are harmless.
    await db().begin((tx) => enqueueChange(tx, "post", [offerId]));
    await syncMatches();
    expect(await matchesOfPost(needId)).toHaveLength(0);
  });

  it("marks mutual matches without ranking them above better fits", async () => {
    const a = await createPerson({ district: "Gohlis-Süd" });
    const b = await createPerson({ district: "Probstheida" });
    const c = await createPerson({ district: "Gohlis-Süd" });
    const aNeed = await createTestPost(a.id, { kind: "need", skills: "Messerschmieden", location: "Gohlis-Süd", exchangeMode: "barter" });
    const aOffer = await createTestPost(a.id, { kind: "offer", skills: "Fensterrestaurierung", location: "Gohlis-Süd" });
    const bOffer = await createTestPost(b.id, { kind: "offer", skills: "Messerschmieden", location: "Probstheida", exchangeMode: "paid" });
    const bNeed = await createTestPost(b.id, { kind: "need", skills: "Fensterrestaurierung", location: "Probstheida" });
    // c fits a's need better (same Ortsteil, same exchange mode) but only one way.
    const cOffer = await createTestPost(c.id, { kind: "offer", skills: "Messerschmieden", location: "Gohlis-Süd", exchangeMode: "barter" });
    await syncMatches();

    const withB = await matchBetween(aNeed, bOffer);
    const withC = await matchBetween(aNeed, cOffer);
    expect(withB!.mutual).toBe(true);
    expect((await matchBetween(bNeed, aOffer))!.mutual).toBe(true);
    expect(withC!.mutual).toBe(false);
    expect(withC!.score).toBeGreaterThan(withB!.score);

    // one order everywhere: by score (c fits better), mutual only as a badge, the same on the post page and for a
    const forA = (await matchesForUser(a.id, "de", { section: `p${aNeed}` })).sections[0]!.items.map((match) => match.other.id);
    const onPage = await postMatchCards(aNeed, "de", 10);
    expect(onPage.map((match) => match.other.id)).toEqual(forA);
    expect(forA.indexOf(cOffer)).toBeLessThan(forA.indexOf(bOffer));
    expect(onPage.find((match) => match.other.id === bOffer)?.mutual).toBe(true);

    // Once b's need is closed, the pair is no longer mutual.
    await changePostStatus(bNeed, { id: b.id, isAdmin: false }, "closed");
    await syncMatches();
    expect((await matchBetween(aNeed, bOffer))!.mutual).toBe(false);
  });

  it("answers what is new since a point in time", async () => {
    const person = await createPerson();
    const needId = await createTestPost(person.id, { kind: "need", skills: "Fördermittelakquise" });
    await createTestPost((await createPerson()).id, { kind: "offer", skills: "Fördermittelakquise" });
    await syncMatches();
    expect(await countNewMatchesForUser(person.id, null)).toBe(1);

    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await countNewMatchesForUser(person.id, since)).toBe(0);
    const laterOffer = await createTestPost((await createPerson()).id, { kind: "offer", skills: "grant writing" });
    await syncMatches();

    const fresh = await newMatchesForUser(person.id, since, 10);
    expect(fresh.map((match) => match.other.id)).toEqual([laterOffer]);
    expect(fresh[0]).toMatchObject({ group: "offers_for_your_needs", mine: { postId: needId, side: "need" } });
    expect(fresh[0]!.reason.shared.map((skill) => skill.label_en)).toEqual(["grant writing"]);
    expect(await countNewMatchesForUser(person.id, since)).toBe(1);
    expect(await countNewMatchesForUser(person.id, null)).toBe(2);
  });
});

describe("full recompute", () => {
  it("rebuilds the same matches the incremental updates store, keeping first_seen_at", async () => {
    // Bring every stored match up to date incrementally (rarity weights move as posts are added), then compare.
    // The data of this file stays below the per-skill candidate bounds, where both paths must agree exactly.
    const everything = await db()<{ posts: string[]; people: string[] }[]>`
      select array(select id::text from posts) as posts, array(select user_id::text from profiles) as people`;
    await db().begin(async (tx) => {
      await enqueueChange(tx, "post", everything[0]!.posts);
      await enqueueChange(tx, "person", everything[0]!.people);
    });
    await syncMatches();
    const before = await db()<{ key: string; score: number; mutual: boolean; first_seen_at: Date; shared: string }[]>`
      select concat_ws(':', need_user_id, need_post_id, offer_user_id, offer_post_id) as key, score, mutual, first_seen_at,
             reasons->>'shared' as shared
      from matches order by 1`;
    expect(before.length).toBeGreaterThan(10);
    const steps: string[] = [];
    const result = await recomputeAllMatches(({ step, done, total }) => {
      if (done === total) steps.push(step);
    });
    expect(steps).toEqual(["sides", "weights", "matching", "write"]);
    expect(result.matches).toBe(before.length);
    const after = await db()<typeof before>`
      select concat_ws(':', need_user_id, need_post_id, offer_user_id, offer_post_id) as key, score, mutual, first_seen_at,
             reasons->>'shared' as shared
      from matches order by 1`;
    expect(after.map((row) => row.key)).toEqual(before.map((row) => row.key));
    after.forEach((row, index) => {
      expect(row.shared).toBe(before[index]!.shared);
      expect(row.mutual).toBe(before[index]!.mutual);
      expect(row.first_seen_at.getTime()).toBe(before[index]!.first_seen_at.getTime());
      expect(row.score).toBeCloseTo(before[index]!.score, 4);
    });
  });

  it("keeps each side's best matches as posts arrive one by one, as a full recompute would", async () => {
    // One user-defined skill (no ESCO group), known to the last full recompute, so its rarity weight stays put.
    const skill = "Lastenradschrauben";
    const posts = [await createTestPost((await createPerson()).id, { kind: "offer", skills: skill, location: "Plagwitz" })];
    await syncMatches();
    await recomputeAllMatches();
    const places = ["Plagwitz", "Lindenau", "Connewitz", "Gohlis-Süd", "Schleußig", "Zentrum", "Probstheida", "remote"];
    for (let i = 0; i < 7; i++) {
      for (const kind of ["need", "offer"] as const) {
        const postId = await createTestPost((await createPerson()).id, {
          kind,
          skills: skill,
          location: places[(i * 3 + (kind === "need" ? 1 : 0)) % places.length],
        });
        // different ages, so no two pairs tie on freshness (ties may fall either way)
        await db()`update posts set created_at = now() - make_interval(days => ${kind === "need" ? 7 * i + 1 : i + 2}) where id = ${postId}`;
        posts.push(postId);
        await syncMatches();
      }
    }
    const pairs = async () =>
      (
        await db()<{ key: string }[]>`
          select concat_ws(':', need_post_id, offer_post_id) as key from matches
          where need_post_id = any(${posts}::bigint[]) or offer_post_id = any(${posts}::bigint[]) order by 1`
      ).map((row) => row.key);
    const incremental = await pairs();
    await recomputeAllMatches();
    expect(incremental).toEqual(await pairs());
    // all 7 × 8 pairs fit, but each post keeps only its best few: the lists were trimmed as newcomers entered
    expect(incremental.length).toBeLessThan(7 * 8);
  });

  it("keeps each side's best matches when many arrive in one batch, and drops a closed best one in the same batch", async () => {
    const skill = "Fahrradrahmenlöten";
    const first = await createTestPost((await createPerson()).id, { kind: "offer", skills: skill, location: "Plagwitz" });
    await syncMatches();
    await recomputeAllMatches();
    const places = ["Plagwitz", "Lindenau", "Connewitz", "Gohlis-Süd", "Schleußig", "Zentrum", "Probstheida", "remote"];
    const posts = [first];
    const add = async (kind: "need" | "offer", i: number) => {
      const postId = await createTestPost((await createPerson()).id, {
        kind,
        skills: skill,
        location: places[(i * 3 + (kind === "need" ? 1 : 0)) % places.length],
      });
      await db()`update posts set created_at = now() - make_interval(days => ${kind === "need" ? 7 * i + 1 : i + 2}) where id = ${postId}`;
      posts.push(postId);
      return postId;
    };
    for (let i = 0; i < 7; i++) {
      await add("need", i);
      await syncMatches();
    }
    // six offers in one outbox batch, while the best-placed older offer closes in the same batch
    for (let i = 0; i < 6; i++) await add("offer", i);
    await changePostStatus(
      first,
      { id: (await db()<{ author_id: string }[]>`select author_id::text from posts where id = ${first}`)[0]!.author_id, isAdmin: false },
      "closed",
    );
    expect(await processMatchOutbox()).toBeGreaterThan(6);
    await syncMatches();
    const pairs = async () =>
      (
        await db()<{ key: string; mutual: boolean }[]>`
          select concat_ws(':', need_post_id, offer_post_id) as key, mutual from matches
          where need_post_id = any(${posts}::bigint[]) or offer_post_id = any(${posts}::bigint[]) order by 1`
      ).map((row) => `${row.key}:${row.mutual}`);
    const incremental = await pairs();
    await recomputeAllMatches();
    expect(incremental).toEqual(await pairs());
    expect(incremental.some((pair) => pair.includes(`:${first}:`))).toBe(false);
  });

  it("rebuilds through a fresh table with the same indexes and constraints, and a rebuild keeps first_seen_at", async () => {
    const snapshot = () => db()<{ key: string; score: number; mutual: boolean; reasons: unknown; first_seen_at: Date }[]>`
      select concat_ws(':', need_user_id, need_post_id, need_person_id, offer_user_id, offer_post_id, offer_person_id) as key,
             score, mutual, reasons, first_seen_at
      from matches order by 1`;
    const schema = () => db()<{ name: string; definition: string }[]>`
      select indexname as name, indexdef as definition from pg_indexes where tablename = 'matches'
      union all
      select conname, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'matches'::regclass
      order by 1`;
    const schemaBefore = await schema();
    const first = await recomputeAllMatches();
    // the rebuilt table took the old one's place with the same indexes and constraints
    expect(await schema()).toEqual(schemaBefore);
    expect(schemaBefore.map((row) => row.name)).toContain("matches_pair");
    const written = await snapshot();
    expect(written.length).toBe(first.matches);
    expect(written.length).toBeGreaterThan(10);
    await recomputeAllMatches();
    // freshness moves between the two runs, so scores may differ in their last digit; first_seen_at is kept
    const again = await snapshot();
    expect(again.map(({ score: _score, ...row }) => row)).toEqual(written.map(({ score: _score, ...row }) => row));
    again.forEach((row, index) => expect(row.score).toBeCloseTo(written[index]!.score, 4));
  });

  it("keeps the districts table in step with the reference list", async () => {
    const rows = await db()<{ name: string; borough: string }[]>`select name, borough from districts`;
    const expected = Object.entries(LEIPZIG_DISTRICTS).flatMap(([borough, names]) => names.map((name) => ({ name, borough })));
    expect(rows.sort((x, y) => x.name.localeCompare(y.name))).toEqual(expected.sort((x, y) => x.name.localeCompare(y.name)));
  });
});

describe("/matches", () => {
  it("shows my matches with new ones marked until I mark all as seen", async () => {
    const me = await createPerson();
    await createTestPost(me.id, { kind: "need", skills: "Fotografie" });
    await createTestPost((await createPerson()).id, { kind: "offer", skills: "photography", title: "Fotokurs" });
    await syncMatches();
    const cookie = await sessionCookieFor(me.id);

    const page = await settle(() => matchesLoader({ request: getRequest("/matches", cookie), params: {}, context: {} }));
    const data = page.body as Awaited<ReturnType<typeof matchesForUser>>;
    expect(data.sections).toHaveLength(1);
    expect(data.sections[0]!.items).toHaveLength(1);
    expect(data.sections[0]!.items[0]).toMatchObject({ isNew: true, other: { title: "Fotokurs" } });
    expect(data.sections[0]!.items[0]!.reasonText).toBe("bietet Fotografie · gleicher Stadtteil (Plagwitz) · bezahlt");

    const marked = await settle(() =>
      matchesAction({ request: formRequest("/matches", { intent: "mark-seen" }, cookie), params: {}, context: {} }),
    );
    expect(marked.status).toBe(302);
    const again = (await settle(() => matchesLoader({ request: getRequest("/matches", cookie), params: {}, context: {} })))
      .body as typeof data;
    expect(again.newCount).toBe(0);
    expect(again.sections[0]!.items[0]!.isNew).toBe(false);
  });

  it("groups by my post and profile, shows the best few with 'more', filters and pages", async () => {
    const me = await createPerson({ skillsSought: ["Keramik"] });
    const needId = await createTestPost(me.id, { kind: "need", skills: "Keramik" });
    const roles = ["artist", "craftsperson", "scientist", "startup", "initiative"] as const;
    for (let i = 0; i < 25; i++) {
      const person = await createPerson({ role: roles[i % 5], district: i % 2 ? "Connewitz" : "Lindenau" });
      await createTestPost(person.id, {
        kind: "offer",
        skills: "Keramik",
        title: `Keramik ${i}`,
        location: i % 2 ? "Connewitz" : "Lindenau",
      });
    }
    await syncMatches();
    const cookie = await sessionCookieFor(me.id);
    const load = async (query: string) =>
      (await settle(() => matchesLoader({ request: getRequest(`/matches${query}`, cookie), params: {}, context: {} }))).body as Awaited<
        ReturnType<typeof matchesForUser>
      >;

    const overview = await load("");
    const postSection = overview.sections.find((section) => section.key === `p${needId}`)!;
    expect(postSection.items).toHaveLength(3);
    expect(postSection.total).toBeGreaterThan(3);
    expect(overview.sections.some((section) => section.key === "profile-need")).toBe(true);

    const opened = await load(`?section=p${needId}`);
    expect(opened.sections).toHaveLength(1);
    expect(opened.sections[0]!.items.length).toBe(Math.min(20, postSection.total));
    if (postSection.total > 20) {
      const second = await load(`?section=p${needId}&page=2`);
      expect(second.sections[0]!.items.map((item) => item.other.id)).not.toContain(opened.sections[0]!.items[0]!.other.id);
    }

    const artistsInConnewitz = await load("?role=artist&district=Connewitz&kind=post");
    const items = artistsInConnewitz.sections.flatMap((section) => section.items);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.other.role === "artist" && item.other.district === "Connewitz" && item.other.kind === "post")).toBe(
      true,
    );

    // nonsense in the query is ignored, not an error
    const odd = await settle(() =>
      matchesLoader({ request: getRequest("/matches?role=wizard&page=-3&section=x'--", cookie), params: {}, context: {} }),
    );
    expect(odd.status).toBe(200);
  });

  it("sends visitors who are not signed in to the login", async () => {
    const page = await settle(() => matchesLoader({ request: getRequest("/matches"), params: {}, context: {} }));
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toContain("/login");
  });
});
