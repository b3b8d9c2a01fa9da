import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { acceptUserSkill, listUserDefinedSkills, mergeSkill, resolveSkillLabels, suggestSkills } from "~/modules/skills/skills.server";
import { action as adminSkillsAction } from "~/routes/admin-skills";
import { useTestDatabase } from "./helpers/database";
import { formRequest, sessionCookieFor, settle } from "./helpers/http";
import { createPerson, createTestPost } from "./helpers/factories";

useTestDatabase();

async function resolveOne(label: string) {
  const [skill] = await resolveSkillLabels(db(), [label], null);
  return skill;
}

describe("skill labels", () => {
  it("finds one skill from any label in either language, ignoring case, accents, hyphens and spaces", async () => {
    const ids = new Set<string>();
    for (const label of ["3d druck", "3D-Druck", "3D printing", "3D PRINTING"]) ids.add((await resolveOne(label))!.id);
    expect(ids.size).toBe(1);
    const printing = await resolveOne("3D-Druck");
    expect(printing!.label_de).toBe("3D-Druck");
    expect(printing!.label_en).toBe("3D printing");
    expect(printing!.source).toBe("curated");

    expect((await resolveOne("Holzbearbeitung"))!.id).toBe((await resolveOne("woodworking"))!.id);
    expect((await resolveOne("Schweissen"))!.id).toBe((await resolveOne("welding"))!.id);
    expect((await resolveOne("timber construction"))!.label_de).toBe("Holzbau");
  });

  it("knows the ESCO skills, and an occupation's name leads to the trade's activity, never to the occupation", async () => {
    const csharp = await resolveOne("C#");
    const cpp = await resolveOne("c++");
    expect(csharp!.source).toBe("esco");
    expect(csharp!.id).not.toBe(cpp!.id);
    const joinery = await resolveOne("Tischlerin");
    expect(joinery).toMatchObject({ source: "curated", label_de: "Tischlerei", label_en: "joinery" });
    for (const label of ["Tischler/Tischlerin", "Schreiner", "Schreinerei", "cabinet making", "joiner"]) {
      expect((await resolveOne(label))!.id, label).toBe(joinery!.id);
    }
    // the trades named in issue 18, by their occupation words
    const trades: [string, string][] = [
      ["Zimmerer", "Zimmerei"],
      ["Maurer", "Mauern"],
      ["Dachdecker", "Dachdeckerarbeiten"],
      ["Metallbauer", "Metallbau"],
      ["Elektrotechniker", "Elektroinstallation"],
      ["Keramikerin", "Keramik"],
      ["Goldschmied", "Schmuckherstellung"],
      ["Buchbinder", "Buchbinden"],
      ["Raumausstatter", "Raumausstattung"],
      ["Orgelbauer", "Orgelbau"],
      ["roofer", "Dachdeckerarbeiten"],
    ];
    for (const [typed, activity] of trades) expect((await resolveOne(typed))!.label_de, typed).toBe(activity);
    // An occupation with no curated activity becomes the typist's own skill, not the occupation.
    expect((await resolveOne("Softwareentwickler/Softwareentwicklerin"))!.source).toBe("user");
  });

  it("turns unknown text into one user-defined skill, never duplicated", async () => {
    const results = await Promise.all(
      ["Kombucha-Brauen", "kombucha brauen", "KOMBUCHABRAUEN"].map((label) => db().begin((tx) => resolveSkillLabels(tx, [label], null))),
    );
    const ids = new Set(results.map(([skill]) => skill!.id));
    expect(ids.size).toBe(1);
    const rows = await db()`select id from skills where source = 'user' and slug like 'kombucha%'`;
    expect(rows).toHaveLength(1);
  });

  it("suggests skills as you type, in the reader's language", async () => {
    const suggestions = await suggestSkills("holzb", "de");
    expect(suggestions.map((entry) => entry.label)).toContain("Holzbau");
    const english = await suggestSkills("timber constr", "en");
    expect(english[0]!.label).toBe("timber construction");
  });
});

describe("merging a user-defined skill", () => {
  it("moves every post and profile tag to the canonical skill and future input follows", async () => {
    const author = await createPerson({ skillsOffered: ["Lehmputz selbermachen", "Holzbau"] });
    const postId = await createTestPost(author.id, { skills: "Lehmputz selbermachen, Holzbau" });
    const userSkill = await resolveOne("Lehmputz selbermachen");
    expect(userSkill!.source).toBe("user");
    const canonical = await resolveOne("Lehmbau");

    const result = await mergeSkill(userSkill!.id, canonical!.id);
    expect(result).toMatchObject({ ok: true, postIds: [postId], userIds: [author.id] });

    const postSkills = await db()<{ skill_id: string }[]>`select skill_id from post_skills where post_id = ${postId} order by position`;
    expect(postSkills.map((row) => row.skill_id)).toContain(canonical!.id);
    expect(postSkills.map((row) => row.skill_id)).not.toContain(userSkill!.id);
    const profileSkills = await db()<{ skill_id: string }[]>`select skill_id from profile_skills where user_id = ${author.id}`;
    expect(profileSkills.map((row) => row.skill_id)).toContain(canonical!.id);
    expect((await resolveOne("lehmputz selbermachen"))!.id).toBe(canonical!.id);
    const events = await db()`select 1 from outbox_events where entity = 'post' and entity_id = ${postId}`;
    expect(events.length).toBeGreaterThan(0);
  });

  it("refuses to merge a canonical skill", async () => {
    const a = await resolveOne("Holzbau");
    const b = await resolveOne("Lehmbau");
    expect(await mergeSkill(a!.id, b!.id)).toEqual({ ok: false, reason: "not_user_defined" });
  });
});

async function sourcesOf(ids: string[]) {
  const rows = await db()<{ source: string }[]>`select source from skills where id = any(${ids}::bigint[])`;
  return rows.map((row) => row.source);
}

describe("suggestions people recognise", () => {
  it("suggests the trade's activity for an occupation word and never an occupation", async () => {
    for (const typed of ["Tischler", "Keramiker", "Dachdecker", "Elektrotechniker", "Goldschmied"]) {
      const suggestions = await suggestSkills(typed, "de");
      expect(suggestions.length, typed).toBeGreaterThan(0);
      expect(await sourcesOf(suggestions.map((entry) => entry.id)), typed).not.toContain("occupation");
    }
    expect((await suggestSkills("Tischler", "de")).map((entry) => entry.label)).toContain("Tischlerei");
    expect((await suggestSkills("Schreiner", "en")).map((entry) => entry.label)).toContain("joinery");
  });

  it("offers a user-made skill only to its creator until an admin accepts it", async () => {
    const maker = await createPerson({ skillsOffered: ["Kintsugi-Reparatur"] });
    const other = await createPerson();
    const [made] = await db()<{ id: string }[]>`select id from skills where source = 'user' and label_de = 'Kintsugi-Reparatur'`;
    expect((await suggestSkills("Kintsugi", "de", 8, maker.id)).map((entry) => entry.id)).toContain(made!.id);
    expect((await suggestSkills("Kintsugi", "de", 8, other.id)).map((entry) => entry.id)).not.toContain(made!.id);
    expect((await suggestSkills("Kintsugi", "de")).map((entry) => entry.id)).not.toContain(made!.id);
    // Someone typing the same text still shares the skill, and the review list counts both people.
    await createTestPost(other.id, { skills: "kintsugi reparatur" });
    const listed = (await listUserDefinedSkills()).find((skill) => skill.id === made!.id);
    expect(listed).toMatchObject({ people: 2, uses: 2, accepted_at: null });

    expect(await acceptUserSkill(made!.id)).toBe(true);
    expect(await acceptUserSkill(made!.id)).toBe(false);
    expect((await suggestSkills("Kintsugi", "de", 8, other.id)).map((entry) => entry.id)).toContain(made!.id);
    expect(await acceptUserSkill((await resolveOne("Holzbau"))!.id)).toBe(false);
    expect(await acceptUserSkill("not-an-id")).toBe(false);
  });
});

describe("/admin/skills", () => {
  it("lets an admin accept a user-made skill, refuses others and bad ids without a 500", async () => {
    const admin = await createPerson({}, { isAdmin: true });
    await createPerson({ skillsOffered: ["Lastenrad-Gepäckträger schweißen"] });
    const [made] = await db()<
      { id: string }[]
    >`select id from skills where source = 'user' and label_de = 'Lastenrad-Gepäckträger schweißen'`;
    const cookie = await sessionCookieFor(admin.id);
    const accepted = await settle(() =>
      adminSkillsAction({
        request: formRequest("/admin/skills", { intent: "accept", skillId: made!.id }, cookie),
        params: {},
        context: {},
      }),
    );
    expect(accepted.body).toMatchObject({ ok: true, accepted: true });
    const [row] = await db()<{ accepted_at: Date | null }[]>`select accepted_at from skills where id = ${made!.id}`;
    expect(row!.accepted_at).toBeInstanceOf(Date);
    for (const skillId of [made!.id, "x1", (await resolveOne("Holzbau"))!.id]) {
      const refused = await settle(() =>
        adminSkillsAction({ request: formRequest("/admin/skills", { intent: "accept", skillId }, cookie), params: {}, context: {} }),
      );
      expect(refused.status).toBe(400);
    }
    const notAdmin = await settle(() =>
      adminSkillsAction({
        request: formRequest("/admin/skills", { intent: "accept", skillId: made!.id }, undefined),
        params: {},
        context: {},
      }),
    );
    expect(notAdmin.status).not.toBe(200);
  });
});
