import type { Db, Sql } from "~/lib/db.server";
import { LOCK, trySessionLock } from "~/lib/locks.server";
import { skillsOfPosts as postSkills, visiblePost, type PostRow } from "~/modules/posts/queries.server";

// ---------------------------------------------------------------------------------------------------------
// Sources of documents: what is visible in the tables right now.

export type PostSourceRow = Pick<
  PostRow,
  | "id"
  | "author_id"
  | "kind"
  | "title"
  | "description"
  | "category"
  | "district"
  | "is_remote"
  | "exchange_mode"
  | "status"
  | "created_at"
  | "expires_at"
  | "author_name"
  | "author_role"
>;

/** The posts among `ids` that anyone may see: open, not hidden, not expired, by someone not banned. */
export async function visiblePostRows(sql: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return sql<PostSourceRow[]>`
    select p.id, p.author_id, p.kind, p.title, p.description, p.category, p.district, p.is_remote, p.exchange_mode,
           p.status, p.created_at, p.expires_at, pr.display_name as author_name, pr.role as author_role
    from posts p join users u on u.id = p.author_id left join profiles pr on pr.user_id = p.author_id
    where p.id = any(${ids}::bigint[]) and ${visiblePost(sql)}`;
}

export type PersonSourceRow = {
  id: string;
  display_name: string;
  role: string;
  bio: string;
  district: string;
  remote_ok: boolean;
  created_at: Date;
};

/** The people among `ids` who have a profile and are not banned. */
export async function visiblePersonRows(sql: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return sql<PersonSourceRow[]>`
    select p.user_id as id, p.display_name, p.role, p.bio, p.district, p.remote_ok, p.created_at
    from profiles p join users u on u.id = p.user_id
    where p.user_id = any(${ids}::bigint[]) and u.banned_at is null`;
}

export type TaggedSkillRow = {
  owner_id: string;
  direction: "offer" | "seek";
  id: string;
  slug: string;
  label_de: string;
  label_en: string;
};

/** The posts' skills (attached as posts attach them), as tagged rows of their documents. */
export async function skillsOfPosts(sql: Db, postIds: string[]): Promise<TaggedSkillRow[]> {
  return (await postSkills(sql, postIds)).map((row) => ({
    owner_id: row.post_id,
    direction: "offer",
    id: row.id,
    slug: row.slug,
    label_de: row.label_de,
    label_en: row.label_en,
  }));
}

export async function skillsOfPeople(sql: Db, userIds: string[]) {
  if (userIds.length === 0) return [];
  return sql<TaggedSkillRow[]>`
    select ps.user_id as owner_id, ps.direction, s.id, s.slug, s.label_de, s.label_en
    from profile_skills ps join skills s on s.id = ps.skill_id
    where ps.user_id = any(${userIds}::bigint[])
    order by ps.user_id, ps.direction, s.label_de`;
}

/** Every label of the skills, preferred and shortest first, at most `perSkill` each (some ESCO skills list hundreds). */
export async function labelsOfSkills(sql: Db, skillIds: string[], perSkill: number) {
  if (skillIds.length === 0) return [];
  return sql<{ skill_id: string; label: string; normalized: string }[]>`
    select skill_id, label, normalized from (
      select l.skill_id, l.label, l.normalized,
             row_number() over (partition by l.skill_id order by l.is_preferred desc, length(l.label), l.label) as n
      from skill_labels l where l.skill_id = any(${skillIds}::bigint[])
    ) ranked
    where n <= ${perSkill}`;
}

export async function postIdsOfAuthors(sql: Db, userIds: string[]) {
  if (userIds.length === 0) return [];
  const rows = await sql<{ id: string }[]>`select id from posts where author_id = any(${userIds}::bigint[])`;
  return rows.map((row) => row.id);
}

export async function idsTaggedWithSkills(sql: Db, skillIds: string[]) {
  if (skillIds.length === 0) return { postIds: [], userIds: [] };
  const posts = await sql<{ id: string }[]>`select distinct post_id as id from post_skills where skill_id = any(${skillIds}::bigint[])`;
  const people = await sql<{ id: string }[]>`select distinct user_id as id from profile_skills where skill_id = any(${skillIds}::bigint[])`;
  return { postIds: posts.map((row) => row.id), userIds: people.map((row) => row.id) };
}

/** Keyset pages of candidate ids for a full reindex. */
export async function postIdsAfter(sql: Db, afterId: string, limit: number) {
  const rows = await sql<{ id: string }[]>`
    select p.id from posts p where p.id > ${afterId} and ${visiblePost(sql, { author: null })}
    order by p.id limit ${limit}`;
  return rows.map((row) => row.id);
}

export async function personIdsAfter(sql: Db, afterId: string, limit: number) {
  const rows = await sql<{ id: string }[]>`select user_id as id from profiles where user_id > ${afterId} order by user_id limit ${limit}`;
  return rows.map((row) => row.id);
}

export async function countReindexSources(sql: Db) {
  const [row] = await sql<[{ posts: number; people: number }]>`
    select (select count(*)::int from posts p where ${visiblePost(sql, { author: null })}) as posts,
           (select count(*)::int from profiles) as people`;
  return row;
}

/**
 * Labels of the skills worth declaring as synonyms: curated ones and every skill somebody tagged. The whole
 * ESCO taxonomy (70,000 labels) would slow Meilisearch down for labels nobody uses.
 */
export async function synonymSourceLabels(sql: Db) {
  return sql<{ skill_id: string; label: string }[]>`
    select l.skill_id, l.label from skill_labels l join skills s on s.id = l.skill_id
    where s.merged_into_id is null and (s.source = 'curated'
       or exists (select 1 from post_skills ps where ps.skill_id = s.id)
       or exists (select 1 from profile_skills pr where pr.skill_id = s.id))
    order by l.skill_id, l.is_preferred desc, length(l.label)`;
}

/**
 * Close relations (weight ≥ minWeight) from curated and used skills, with the related skill's preferred labels:
 * Meilisearch gets them as one-way synonyms ("carpentry" also searches "timber construction").
 */
export async function synonymRelations(sql: Db, minWeight: number) {
  return sql<{ skill_id: string; label_de: string; label_en: string }[]>`
    select r.skill_id::text, related.label_de, related.label_en
    from skill_relations r
    join skills s on s.id = r.skill_id and s.merged_into_id is null
    join skills related on related.id = r.related_skill_id and related.merged_into_id is null
    where r.weight >= ${minWeight} and (s.source = 'curated'
       or exists (select 1 from post_skills ps where ps.skill_id = s.id)
       or exists (select 1 from profile_skills pr where pr.skill_id = s.id))
    order by r.skill_id, r.weight desc, related.label_de`;
}

/**
 * Takes the reindex lock on a connection of its own for as long as the reindex runs (across processes and
 * instances); undefined when another reindex holds it.
 */
export async function holdReindexLock(sql: Sql) {
  return trySessionLock(sql, LOCK.searchReindex);
}

/** Whether a reindex holds its lock now (a shared try-lock, released again when the statement ends). */
export async function reindexRunning(sql: Db): Promise<boolean> {
  const [row] = await sql<[{ free: boolean }]>`select pg_try_advisory_xact_lock_shared(${LOCK.searchReindex}) as free`;
  return !row.free;
}
