import type { Db } from "~/lib/db.server";
import { lockKeyed } from "~/lib/locks.server";

export type SkillRef = { id: string; slug: string; label_de: string; label_en: string; source: string };

/** Skills found by normalised label, following merges; best candidate first per label. */
export async function findSkillsByNormalizedLabels(sql: Db, keys: string[]) {
  if (keys.length === 0) return [];
  return sql<(SkillRef & { normalized: string })[]>`
    select distinct on (l.normalized) l.normalized, s.id, s.slug, s.label_de, s.label_en, s.source
    from skill_labels l
    join skills found on found.id = l.skill_id
    join skills s on s.id = coalesce(found.merged_into_id, found.id)
    where l.normalized = any(${keys}) and s.source <> 'occupation'
    order by l.normalized, l.is_preferred desc,
      case s.source when 'curated' then 0 when 'esco' then 1 when 'occupation' then 2 else 3 end, s.id`;
}

export async function lockLabel(sql: Db, normalized: string) {
  await lockKeyed(sql, "skillLabel", normalized);
}

export async function slugExists(sql: Db, slug: string) {
  const [row] = await sql`select 1 from skills where slug = ${slug}`;
  return Boolean(row);
}

export async function insertUserSkill(sql: Db, input: { slug: string; label: string; normalized: string; userId: string | null }) {
  const [skill] = await sql<[SkillRef]>`
    insert into skills (slug, source, label_de, label_en, created_by)
    values (${input.slug}, 'user', ${input.label}, ${input.label}, ${input.userId})
    returning id, slug, label_de, label_en, source`;
  await sql`
    insert into skill_labels (skill_id, lang, label, normalized, is_preferred)
    values (${skill.id}, 'de', ${input.label}, ${input.normalized}, true),
           (${skill.id}, 'en', ${input.label}, ${input.normalized}, true)
    on conflict do nothing`;
  return skill;
}

/**
 * Skill suggestions as you type, ranked: a label that starts with the typed key, then a label with a word that
 * starts with it ("druck" → "3D-Druck"), then a label that contains it ("Siebdruck"), then look-alikes (typos);
 * within each, skills somebody uses (on a post or profile) before unused ones, curated before ESCO, shorter first.
 * Prefixes come from the byte-ordered index (a range scan, also in generic plans), inner matches and typos from
 * the trigram index (keys of three or more characters); no sequential scan of all labels. Occupations are never
 * offered as skills, and a user-made skill only to its creator until an admin accepted it.
 */
export async function suggestSkills(sql: Db, key: string, limit: number, viewerId: string | null = null) {
  const upper = `${key}\u{10FFFF}`;
  const fuzzy = key.length >= 3;
  // key is a normalizeSkillLabel() key: letters, digits, # and +, never a LIKE wildcard.
  const inner = `%${key}%`;
  return sql<(SkillRef & { label: string; lang: string })[]>`
    with prefixed as (
      select l.skill_id, l.label, l.lang, 0 as kind, similarity(l.normalized, ${key}) as score
      from skill_labels l
      where (l.normalized collate "C") >= ${key} and (l.normalized collate "C") < ${upper}
      order by length(l.normalized)
      limit 200
    ), inside as (
      select l.skill_id, l.label, l.lang, similarity(l.normalized, ${key}) as score
      from skill_labels l
      where ${fuzzy} and l.normalized like ${inner} and not ((l.normalized collate "C") >= ${key} and (l.normalized collate "C") < ${upper})
      order by length(l.normalized)
      limit 200
    ), typos as (
      select l.skill_id, l.label, l.lang, 3 as kind, similarity(l.normalized, ${key}) as score
      from skill_labels l
      where ${fuzzy} and l.normalized % ${key}
      order by score desc
      limit 100
    ), candidates as (
      select * from prefixed
      union all
      select i.skill_id, i.label, i.lang,
             case when exists (select 1 from search_label_words(i.label) w where w.word like ${key} || '%') then 1 else 2 end, i.score
      from inside i
      union all
      select * from typos
    ), ranked as (
      select distinct on (s.id) s.id, s.slug, s.label_de, s.label_en, s.source, c.label, c.lang, c.kind, c.score
      from candidates c join skills s on s.id = c.skill_id
      where s.merged_into_id is null and s.source <> 'occupation'
        and (s.source <> 'user' or s.accepted_at is not null or s.created_by = ${viewerId})
      order by s.id, c.kind, c.score desc, length(c.label)
    )
    select r.id, r.slug, r.label_de, r.label_en, r.source, r.label, r.lang from ranked r
    order by r.kind,
      (exists (select 1 from post_skills ps where ps.skill_id = r.id) or exists (select 1 from profile_skills pr where pr.skill_id = r.id)) desc,
      case r.source when 'curated' then 0 when 'esco' then 1 when 'occupation' then 2 else 3 end,
      case when r.kind = 3 then -r.score else 0 end, length(r.label), r.id
    limit ${limit}`;
}

export async function findSkillBySlug(sql: Db, slug: string) {
  const [row] = await sql<
    (SkillRef & { description_de: string | null; description_en: string | null; uri: string | null; merged_into_slug: string | null })[]
  >`
    select s.id, s.slug, s.label_de, s.label_en, s.source, s.description_de, s.description_en, s.uri,
           target.slug as merged_into_slug
    from skills s left join skills target on target.id = s.merged_into_id
    where s.slug = ${slug}`;
  return row;
}

export async function findSkillById(sql: Db, id: string) {
  const [row] = await sql<(SkillRef & { merged_into_id: string | null })[]>`
    select id, slug, label_de, label_en, source, merged_into_id from skills where id = ${id}`;
  return row;
}

export async function labelsOfSkill(sql: Db, skillId: string) {
  return sql<{ lang: "de" | "en"; label: string; is_preferred: boolean }[]>`
    select lang, label, is_preferred from skill_labels where skill_id = ${skillId} order by lang, is_preferred desc, label`;
}

export async function groupsOfSkill(sql: Db, skillId: string) {
  return sql<{ uri: string; label_de: string; label_en: string }[]>`
    select g.uri, g.label_de, g.label_en from skill_broader b join skill_groups g on g.uri = b.group_uri
    where b.skill_id = ${skillId} order by g.level desc, g.label_en`;
}

export type RelatedSkillRow = SkillRef & { skill_id: string; weight: number };

/**
 * The explicit skill relation (skill_relations, from db/seed/skill-relations.json): for each of these skills
 * (or every skill: "all") the skills related to it with their weight (0 < w ≤ 1), closest first, then by name.
 * Matching, search expansion and the skill page's "verwandte Fähigkeiten" all read it here.
 */
export async function relatedSkills(sql: Db, skillIds: string[] | "all", options: { minWeight?: number; limitPerSkill?: number } = {}) {
  if (skillIds !== "all" && skillIds.length === 0) return [];
  const which = skillIds === "all" ? sql`` : sql`and r.skill_id = any(${skillIds}::bigint[])`;
  const rows = await sql<(RelatedSkillRow & { rank: number })[]>`
    select r.skill_id::text as skill_id, r.weight, s.id::text as id, s.slug, s.label_de, s.label_en, s.source,
           row_number() over (partition by r.skill_id order by r.weight desc, s.label_de, s.id)::int as rank
    from skill_relations r
    join skills s on s.id = r.related_skill_id and s.merged_into_id is null
    where r.weight >= ${options.minWeight ?? 0} ${which}
    order by r.skill_id, rank`;
  const limit = options.limitPerSkill ?? Infinity;
  return rows.filter((row) => row.rank <= limit).map(({ rank: _rank, ...row }) => row);
}

/** User-made skills for review: unreviewed first, each with how many people use it (posts or profile). */
export async function listUserDefinedSkills(sql: Db) {
  return sql<(SkillRef & { uses: number; people: number; created_at: Date; accepted_at: Date | null })[]>`
    select s.id, s.slug, s.label_de, s.label_en, s.source, s.created_at, s.accepted_at,
      ((select count(*) from post_skills ps where ps.skill_id = s.id) +
       (select count(*) from profile_skills pr where pr.skill_id = s.id))::int as uses,
      (select count(*) from (
         select p.author_id as user_id from post_skills ps join posts p on p.id = ps.post_id where ps.skill_id = s.id
         union
         select pr.user_id from profile_skills pr where pr.skill_id = s.id) users)::int as people
    from skills s where s.source = 'user' and s.merged_into_id is null
    order by s.accepted_at is not null, s.created_at desc limit 200`;
}

/** An admin accepts a user-made skill: from now on it is suggested to everyone. */
export async function acceptUserSkill(sql: Db, skillId: string) {
  const rows = await sql`
    update skills set accepted_at = now()
    where id = ${skillId} and source = 'user' and merged_into_id is null and accepted_at is null
    returning id`;
  return rows.length > 0;
}

/** Moves every tag and label from one skill to another and records the merge. Returns the touched posts and people. */
export async function mergeSkillInto(sql: Db, fromId: string, intoId: string) {
  const posts = await sql<{ post_id: string }[]>`
    with moved as (
      insert into post_skills (post_id, skill_id, position)
      select post_id, ${intoId}, position from post_skills where skill_id = ${fromId}
      on conflict (post_id, skill_id) do nothing
      returning post_id)
    select post_id from post_skills where skill_id = ${fromId}`;
  await sql`delete from post_skills where skill_id = ${fromId}`;
  const people = await sql<{ user_id: string }[]>`
    with moved as (
      insert into profile_skills (user_id, direction, skill_id)
      select user_id, direction, ${intoId} from profile_skills where skill_id = ${fromId}
      on conflict do nothing
      returning user_id)
    select distinct user_id from profile_skills where skill_id = ${fromId}`;
  await sql`delete from profile_skills where skill_id = ${fromId}`;
  await sql`
    insert into skill_labels (skill_id, lang, label, normalized, is_preferred)
    select ${intoId}, lang, label, normalized, false from skill_labels where skill_id = ${fromId}
    on conflict do nothing`;
  await sql`delete from skill_labels where skill_id = ${fromId}`;
  await sql`update skills set merged_into_id = ${intoId} where id = ${fromId}`;
  return { postIds: posts.map((row) => row.post_id), userIds: people.map((row) => row.user_id) };
}
