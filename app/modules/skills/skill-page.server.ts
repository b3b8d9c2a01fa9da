import { db, type Db } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";
import { skillsOfPostJson, visiblePost } from "~/modules/posts/queries.server";
import { skillLabel } from "./skills.server";

/** What /skills/<slug> shows beyond the taxonomy: who needs and offers the skill right now. */

const POSTS_PER_KIND = 12;
const PEOPLE_SHOWN = 24;

type SkillRef = { id: string; slug: string; label_de: string; label_en: string };

type SkillPostRow = {
  id: string;
  kind: "offer" | "need";
  title: string;
  category: string;
  district: string | null;
  is_remote: boolean;
  exchange_mode: string;
  is_demo: boolean;
  created_at: Date;
  author_name: string | null;
  skills: SkillRef[];
  total: number;
};

type SkillPersonRow = { user_id: string; display_name: string; role: string; district: string; is_demo: boolean; total: number };

/** Visible posts of one kind carrying the skill, newest first, each row with the total of such posts. */
async function visiblePostsWithSkill(sql: Db, skillId: string, kind: "offer" | "need", limit: number) {
  return sql<SkillPostRow[]>`
    select p.id, p.kind, p.title, p.category, p.district, p.is_remote, p.exchange_mode, p.is_demo, p.created_at,
           pr.display_name as author_name, count(*) over ()::int as total,
           ${skillsOfPostJson(sql)} as skills
    from posts p
    join users u on u.id = p.author_id
    left join profiles pr on pr.user_id = p.author_id
    where p.kind = ${kind} and ${visiblePost(sql)}
      and exists (select 1 from post_skills f where f.post_id = p.id and f.skill_id = ${skillId})
    order by p.created_at desc, p.id desc
    limit ${limit}`;
}

/** Visible people who list the skill as one they offer, most recently active profiles first. */
async function visiblePeopleOfferingSkill(sql: Db, skillId: string, limit: number) {
  return sql<SkillPersonRow[]>`
    select pr.user_id, pr.display_name, pr.role, pr.district, pr.is_demo, count(*) over ()::int as total
    from profile_skills ps
    join profiles pr on pr.user_id = ps.user_id
    join users u on u.id = ps.user_id
    where ps.skill_id = ${skillId} and ps.direction = 'offer' and u.banned_at is null
    order by pr.updated_at desc, pr.user_id
    limit ${limit}`;
}

export async function skillPageActivity(skillId: string, locale: Locale) {
  const sql = db();
  const needs = await visiblePostsWithSkill(sql, skillId, "need", POSTS_PER_KIND);
  const offers = await visiblePostsWithSkill(sql, skillId, "offer", POSTS_PER_KIND);
  const people = await visiblePeopleOfferingSkill(sql, skillId, PEOPLE_SHOWN);
  const toCard = (row: SkillPostRow) => ({
    id: row.id,
    kind: row.kind,
    title: row.title,
    category: row.category,
    district: row.district,
    is_remote: row.is_remote,
    exchange_mode: row.exchange_mode,
    is_demo: row.is_demo,
    created_at: row.created_at,
    author_name: row.author_name,
    skills: row.skills.map((skill) => ({ id: skill.id, slug: skill.slug, label: skillLabel(skill, locale) })),
  });
  return {
    needs: needs.map(toCard),
    needsTotal: needs[0]?.total ?? 0,
    offers: offers.map(toCard),
    offersTotal: offers[0]?.total ?? 0,
    people: people.map((row) => ({
      id: row.user_id,
      displayName: row.display_name,
      role: row.role,
      district: row.district,
      isDemo: row.is_demo,
    })),
    peopleTotal: people[0]?.total ?? 0,
  };
}
