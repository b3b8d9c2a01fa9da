import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { skillPageActivity } from "~/modules/skills/skill-page.server";
import { cityPicture, rankSkills } from "~/modules/stats/stats.server";
import { loader as statsLoader } from "~/routes/stats";
import { createPerson, createTestPost, type PostFields } from "./helpers/factories";
import { useTestDatabase } from "./helpers/database";

useTestDatabase();

/**
 * The known fixture. Countable: 1, 2, 3, 4, 5, 6, 13. Not countable: 7 hidden, 8 closed, 9 expired,
 * 10 by a banned person, 11 fulfilled, 12 demo (countable only while the demo is on).
 */
const fixture = { skill: {} as Record<"lehm" | "solar" | "foerder" | "rare", string>, people: {} as Record<string, string> };

async function post(authorId: string, fields: PostFields) {
  return createTestPost(authorId, { exchangeMode: "volunteer", ...fields });
}

async function skillIdOf(postId: string, position = 0) {
  const [row] = await db()<
    { skill_id: string }[]
  >`select skill_id::text from post_skills where post_id = ${postId} and position = ${position}`;
  return row!.skill_id;
}

beforeAll(async () => {
  const ada = await createPerson({ displayName: "Ada", role: "startup", skillsOffered: ["Stat Lehmputz"] });
  const bea = await createPerson({ displayName: "Bea", role: "artist" });
  const banned = await createPerson({ displayName: "Gesperrt", role: "startup", skillsOffered: ["Stat Lehmputz"] });
  fixture.people = { ada: ada.id, bea: bea.id, banned: banned.id };

  const p1 = await post(ada.id, { kind: "need", skills: "Stat Lehmputz, Stat Solardach", category: "knowhow", location: "Plagwitz" });
  await post(ada.id, { kind: "need", skills: "Stat Lehmputz", category: "space", location: "Plagwitz" });
  await post(bea.id, { kind: "need", skills: "Stat Lehmputz", category: "knowhow", location: "Connewitz" });
  await post(bea.id, { kind: "offer", skills: "Stat Solardach", category: "knowhow", location: "Connewitz" });
  const p5 = await post(ada.id, { kind: "offer", skills: "Stat Förderantrag", category: "funding" });
  await post(ada.id, { kind: "offer", skills: "Stat Förderantrag", category: "equipment" });
  const hidden = await post(ada.id, { kind: "need", skills: "Stat Lehmputz", category: "knowhow" });
  const closed = await post(ada.id, { kind: "need", skills: "Stat Lehmputz", category: "knowhow" });
  const expired = await post(ada.id, { kind: "need", skills: "Stat Lehmputz", category: "knowhow" });
  await post(banned.id, { kind: "need", skills: "Stat Lehmputz", category: "knowhow", location: "Connewitz" });
  const fulfilled = await post(ada.id, { kind: "need", skills: "Stat Seltenes", category: "knowhow" });
  const demo = await post(ada.id, { kind: "need", skills: "Stat Seltenes", category: "knowhow", location: "Zentrum" });
  await post(ada.id, { kind: "need", skills: "Stat Solardach", category: "knowhow", location: "remote" });

  await db()`update posts set hidden_at = now() where id = ${hidden}`;
  await db()`update posts set status = 'closed' where id = ${closed}`;
  await db()`update posts set expires_at = now() - interval '1 day' where id = ${expired}`;
  await db()`update posts set status = 'fulfilled' where id = ${fulfilled}`;
  await db()`update posts set is_demo = true where id = ${demo}`;
  await db()`update users set banned_at = now() where id = ${banned.id}`;

  fixture.skill = {
    lehm: await skillIdOf(p1, 0),
    solar: await skillIdOf(p1, 1),
    foerder: await skillIdOf(p5),
    rare: await skillIdOf(fulfilled),
  };

  await db()`
    insert into contact_requests (sender_id, recipient_id, message, status, responded_at)
    values (${ada.id}, ${bea.id}, 'Hallo', 'accepted', now() - interval '1 day'),
           (${bea.id}, ${ada.id}, 'Hallo', 'accepted', now() - interval '40 days'),
           (${bea.id}, ${ada.id}, 'Hallo', 'declined', now() - interval '2 days'),
           (${ada.id}, ${bea.id}, 'Hallo', 'pending', null),
           (${banned.id}, ${ada.id}, 'Hallo', 'accepted', now() - interval '3 days')`;
});

/** The same numbers, counted straight from the tables with nothing but the visibility rule. */
async function directSkillCounts(options: { category?: string; role?: string; includeDemo: boolean }) {
  const rows = await db()<{ id: string; needs: number; offers: number }[]>`
    select ps.skill_id::text as id,
           sum(case when p.kind = 'need' then 1 else 0 end)::int as needs,
           sum(case when p.kind = 'offer' then 1 else 0 end)::int as offers
    from post_skills ps
    join posts p on p.id = ps.post_id
    join users u on u.id = p.author_id
    join profiles pr on pr.user_id = p.author_id
    where p.status = 'open' and p.hidden_at is null and p.expires_at > now() and u.banned_at is null
      and (${options.includeDemo} or p.is_demo = false)
      and p.category = coalesce(${options.category ?? null}::text, p.category)
      and pr.role = coalesce(${options.role ?? null}::text, pr.role)
    group by ps.skill_id`;
  return new Map(rows.map((row) => [row.id, { needs: row.needs, offers: row.offers }]));
}

const counts = (rows: { id: string; needs: number; offers: number }[]) =>
  new Map(rows.map((row) => [row.id, { needs: row.needs, offers: row.offers }]));
const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

describe("the city picture", () => {
  it("counts only open, visible posts: hidden, closed, expired, fulfilled and banned authors' posts are left out", async () => {
    const picture = await cityPicture({}, "de", { includeDemo: false });
    const { lehm, solar, foerder, rare } = fixture.skill;
    expect(picture.totals).toEqual({ needs: 4, offers: 3 });
    expect(ids(picture.mostNeeded)).toEqual([lehm, solar]);
    expect(picture.mostNeeded.map((row) => [row.needs, row.offers])).toEqual([
      [3, 0],
      [2, 1],
    ]);
    expect(ids(picture.mostOffered)).toEqual([foerder, solar]);
    expect(picture.mostOffered.map((row) => row.offers)).toEqual([2, 1]);
    expect(ids(picture.largestGap)).toEqual([lehm, solar]);
    expect(picture.largestGap.map((row) => row.gap)).toEqual([3, 1]);
    expect([...picture.mostNeeded, ...picture.mostOffered].some((row) => row.id === rare)).toBe(false);
    expect(picture.skillsWithPosts).toBe(3);
  });

  it("equals a direct count over the tables, with and without filters", async () => {
    const cases = [
      { includeDemo: false },
      { includeDemo: true },
      { category: "knowhow" as const, includeDemo: false },
      { role: "artist" as const, includeDemo: false },
      { category: "knowhow" as const, role: "startup" as const, includeDemo: true },
    ];
    for (const { includeDemo, ...filter } of cases) {
      const picture = await cityPicture(filter, "de", { includeDemo });
      const direct = await directSkillCounts({ ...filter, includeDemo });
      const shown = counts([...picture.mostNeeded, ...picture.mostOffered]);
      expect(shown).toEqual(new Map([...direct].filter(([, value]) => value.needs > 0 || value.offers > 0)));
      expect(picture.skillsWithPosts).toBe(direct.size);
    }
  });

  it("filters by category and by the author's role", async () => {
    const { lehm, solar } = fixture.skill;
    const space = await cityPicture({ category: "space" }, "de", { includeDemo: false });
    expect(space.totals).toEqual({ needs: 1, offers: 0 });
    expect(counts(space.mostNeeded)).toEqual(new Map([[lehm, { needs: 1, offers: 0 }]]));
    expect(space.districts).toEqual([{ district: "Plagwitz", needs: 1 }]);

    const artists = await cityPicture({ role: "artist" }, "de", { includeDemo: false });
    expect(artists.totals).toEqual({ needs: 1, offers: 1 });
    expect(counts([...artists.mostNeeded, ...artists.mostOffered])).toEqual(
      new Map([
        [lehm, { needs: 1, offers: 0 }],
        [solar, { needs: 0, offers: 1 }],
      ]),
    );
  });

  it("counts demo posts only while the demo is on", async () => {
    const { rare } = fixture.skill;
    const withDemo = await cityPicture({}, "de", { includeDemo: true });
    expect(withDemo.totals!.needs).toBe(5);
    expect(withDemo.largestGap.find((row) => row.id === rare)).toMatchObject({ needs: 1, offers: 0, gap: 1 });
    expect(withDemo.districts).toContainEqual({ district: "Zentrum", needs: 1 });
    const withoutDemo = await cityPicture({}, "de", { includeDemo: false });
    expect(withoutDemo.largestGap.some((row) => row.id === rare)).toBe(false);
    expect(withoutDemo.districts.some((row) => row.district === "Zentrum")).toBe(false);
  });

  it("ranks districts by open needs and leaves out posts without a place", async () => {
    const picture = await cityPicture({}, "de", { includeDemo: false });
    expect(picture.districts).toEqual([
      { district: "Plagwitz", needs: 2 },
      { district: "Connewitz", needs: 1 },
    ]);
  });

  it("counts contacts accepted in the last four weeks between people who are not banned", async () => {
    const picture = await cityPicture({}, "de", { includeDemo: false });
    expect(picture.activity.contactsAccepted).toBe(1);
    expect(picture.activity.days).toBe(28);
  });

  it("counts matches first seen in the last four weeks between people who are not banned", async () => {
    const { ada, bea, banned } = fixture.people as Record<"ada" | "bea" | "banned", string>;
    await db()`
      insert into matches (need_user_id, need_person_id, offer_user_id, offer_person_id, score, reasons, first_seen_at)
      values (${ada}, ${ada}, ${bea}, ${bea}, 0.8, '[]', now() - interval '2 days'),
             (${bea}, ${bea}, ${ada}, ${ada}, 0.7, '[]', now() - interval '35 days'),
             (${banned}, ${banned}, ${bea}, ${bea}, 0.9, '[]', now() - interval '1 day')`;
    const picture = await cityPicture({}, "de", { includeDemo: false });
    expect(picture.activity.matchesMade).toBe(1);
    await db()`delete from matches where need_user_id = any(${[ada, bea, banned]})`;
  });

  it("labels skills in the reader's language", async () => {
    // The fixture's skills are user-defined (same label in both languages); give one a distinct English label.
    await db()`update skills set label_en = 'Stat clay plaster' where id = ${fixture.skill.lehm}`;
    const de = await cityPicture({}, "de", { includeDemo: false });
    const en = await cityPicture({}, "en", { includeDemo: false });
    expect(de.mostNeeded[0]!.label).toBe("Stat Lehmputz");
    expect(en.mostNeeded[0]!.label).toBe("Stat clay plaster");
    await db()`update skills set label_en = 'Stat Lehmputz' where id = ${fixture.skill.lehm}`;
  });
});

describe("rankSkills", () => {
  it("ranks the gap as needs minus offers; ties go to the more needed (gap) or the less needed (offers)", () => {
    const ranked = rankSkills([
      { id: "1", slug: "a", label: "Alpha", needs: 8, offers: 2 },
      { id: "2", slug: "b", label: "Beta", needs: 1, offers: 0 },
      { id: "3", slug: "c", label: "Gamma", needs: 3, offers: 2 },
      { id: "4", slug: "d", label: "Delta", needs: 1, offers: 0 },
      { id: "5", slug: "e", label: "Epsilon", needs: 0, offers: 5 },
    ]);
    expect(ids(ranked.largestGap)).toEqual(["1", "3", "2", "4"]);
    expect(ids(ranked.mostNeeded)).toEqual(["1", "3", "2", "4"]);
    expect(ids(ranked.mostOffered)).toEqual(["5", "3", "1"]);
  });
});

describe("/stats", () => {
  const load = (query: string) =>
    statsLoader({ request: new Request(`http://localhost/stats${query}`), params: {}, context: {} }) as ReturnType<typeof statsLoader>;

  it("applies valid filters and ignores unknown values instead of failing", async () => {
    const filtered = await load("?category=space&role=startup");
    expect(filtered.filter).toEqual({ category: "space", role: "startup" });
    expect(filtered.picture.totals!.needs).toBe(1);
    const bogus = await load("?category=%3Cscript%3E&role=king");
    expect(bogus.filter).toEqual({ category: undefined, role: undefined });
    expect(bogus.picture.totals!.needs).toBeGreaterThanOrEqual(4);
  });
});

describe("the skill page", () => {
  it("lists the skill's visible needs and offers and the visible people who offer it", async () => {
    const activity = await skillPageActivity(fixture.skill.lehm, "de");
    expect(activity.needsTotal).toBe(3);
    expect(activity.needs).toHaveLength(3);
    expect(activity.offersTotal).toBe(0);
    expect(activity.needs.every((post) => post.skills.some((skill) => skill.id === fixture.skill.lehm))).toBe(true);
    expect(activity.people.map((person) => person.id)).toEqual([fixture.people.ada]);
    expect(activity.peopleTotal).toBe(1);

    const solar = await skillPageActivity(fixture.skill.solar, "de");
    expect([solar.needsTotal, solar.offersTotal]).toEqual([2, 1]);
    expect(solar.offers[0]!.author_name).toBe("Bea");
  });
});
