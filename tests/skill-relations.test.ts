import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { loadTaxonomySeed } from "~/modules/skills/taxonomy-seed.server";
import { findSkillPage } from "~/modules/skills/skills.server";
import { relatedSkills } from "~/modules/skills/queries.server";
import { useTestDatabase } from "./helpers/database";

useTestDatabase();

async function idOf(slug: string) {
  const [row] = await db()<{ id: string }[]>`select id::text from skills where slug = ${slug}`;
  return row!.id;
}

async function relatedSlugs(slug: string) {
  return (await relatedSkills(db(), [await idOf(slug)])).map((row) => row.slug);
}

describe("skill relation", () => {
  it("is loaded with the taxonomy, every pair in both directions, with its weight", async () => {
    const [{ oneWay }] = await db()<[{ oneWay: number }]>`
      select count(*)::int as "oneWay" from skill_relations r
      where not exists (select 1 from skill_relations b where b.skill_id = r.related_skill_id and b.related_skill_id = r.skill_id and b.weight = r.weight)`;
    expect(oneWay).toBe(0);
    const rows = await relatedSkills(db(), [await idOf("3d-druck")]);
    const laser = rows.find((row) => row.slug === "laserschneiden");
    expect(laser).toMatchObject({ weight: expect.closeTo(0.6, 5), label_de: "Laserschneiden" });
    // closest first
    expect(rows.map((row) => row.weight)).toEqual([...rows.map((row) => row.weight)].sort((a, b) => b - a));
    expect(await relatedSlugs("laserschneiden")).toContain("3d-druck");
  });

  it("relates crafts of one family, not everything in a broad field", async () => {
    const printing = await relatedSlugs("3d-druck");
    expect(printing).toEqual(expect.arrayContaining(["laserschneiden", "cnc-fraesen", "modellbau"]));
    for (const unrelated of ["fotografie", "tontechnik", "cryengine", "gamesalad", "heroengine"]) expect(printing).not.toContain(unrelated);
    expect(await relatedSlugs("keramik")).not.toContain("schmieden");
    expect(await relatedSlugs("schmieden")).toEqual(expect.arrayContaining(["messerschmieden", "metallbearbeitung"]));
  });

  it("relates ESCO skills only within a narrow family of the hierarchy", async () => {
    // "write Polish" and "understand spoken Polish" sit below "Polish" (a handful of skills)
    const [write] = await db()<{ id: string }[]>`select id::text from skills where label_en = 'write Polish'`;
    const labels = (await relatedSkills(db(), [write!.id])).map((row) => row.label_en);
    expect(labels).toEqual(expect.arrayContaining(["understand spoken Polish", "Polish"]));
    expect(labels).not.toContain("write Czech");
  });

  it("is read in one call for many skills, limited per skill and by weight", async () => {
    const ids = [await idOf("3d-druck"), await idOf("keramik")];
    const rows = await relatedSkills(db(), ids, { minWeight: 0.5, limitPerSkill: 2 });
    expect(new Set(rows.map((row) => row.skill_id))).toEqual(new Set(ids));
    expect(rows.every((row) => row.weight >= 0.5)).toBe(true);
    expect(rows.filter((row) => row.skill_id === ids[1]).map((row) => row.slug)).toHaveLength(2);
    expect(await relatedSkills(db(), [])).toEqual([]);
  });

  it("shows on the skill page, closest first", async () => {
    const page = await findSkillPage("keramik");
    expect(
      page?.related
        .slice(0, 3)
        .map((skill) => skill.slug)
        .sort(),
    ).toEqual(["drehen-toepferscheibe", "glasieren", "keramikbrand"]);
  });

  it("is loaded once per version of the seed files", async () => {
    const again = await loadTaxonomySeed(db());
    expect(again.relations).toBeNull();
    await db()`delete from seed_runs where name = 'skill-relations'`;
    const [{ before }] = await db()<[{ before: number }]>`select count(*)::int as before from skill_relations`;
    const reloaded = await loadTaxonomySeed(db());
    expect(reloaded.relations).toBe(before);
    const [{ after }] = await db()<[{ after: number }]>`select count(*)::int as after from skill_relations`;
    expect(after).toBe(before);
  });
});
