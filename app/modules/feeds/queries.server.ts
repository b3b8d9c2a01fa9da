import type { Db } from "~/lib/db.server";
import { skillsOfPostJson, visiblePost, type PostRow } from "~/modules/posts/queries.server";

/**
 * What the feeds publish: open, not hidden, not expired posts by people who are not banned; demo posts only while
 * the demo is switched on. Expects the aliases p (posts) and u (users).
 */
const countable = (sql: Db, includeDemo: boolean) => sql`${visiblePost(sql)} and (${includeDemo}::boolean or not p.is_demo)`;

export type FeedSkill = { id: string; slug: string; label_de: string; label_en: string };

export type FeedPostRow = Pick<
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
  | "is_demo"
  | "created_at"
  | "updated_at"
  | "expires_at"
  | "author_name"
> & { skills: FeedSkill[] };

export type FeedFilter = { skillId: string | null; kind: string | null; district: string | null; includeDemo: boolean };

const feedWhere = (sql: Db, filter: FeedFilter) => sql`
  (${filter.kind}::text is null or p.kind = ${filter.kind})
  and (${filter.district}::text is null or p.district = ${filter.district})
  and (${filter.skillId}::bigint is null
       or exists (select 1 from post_skills f where f.post_id = p.id and f.skill_id = ${filter.skillId}::bigint))`;

/** Countable posts for the feeds, newest first. Only public fields: the author's id and display name. */
export async function feedPosts(sql: Db, filter: FeedFilter, limit: number, offset: number) {
  return sql<FeedPostRow[]>`
    select p.id, p.author_id, p.kind, p.title, p.description, p.category, p.district, p.is_remote, p.exchange_mode,
           p.is_demo, p.created_at, p.updated_at, p.expires_at, pr.display_name as author_name,
           ${skillsOfPostJson(sql)} as skills
    from posts p
    join users u on u.id = p.author_id
    left join profiles pr on pr.user_id = p.author_id
    where ${countable(sql, filter.includeDemo)} and ${feedWhere(sql, filter)}
    order by p.created_at desc, p.id desc
    limit ${limit} offset ${offset}`;
}

export async function countFeedPosts(sql: Db, filter: FeedFilter) {
  const [row] = await sql<[{ count: number }]>`
    select count(*)::int as count
    from posts p join users u on u.id = p.author_id
    where ${countable(sql, filter.includeDemo)} and ${feedWhere(sql, filter)}`;
  return row.count;
}

/**
 * The last moment the feed's answer could have changed: a post matching the filter was created, edited,
 * closed (updated_at), hidden, expired, or its author was banned or renamed. Null when nothing ever matched.
 */
export async function feedLastModified(sql: Db, filter: FeedFilter) {
  const [row] = await sql<[{ last_modified: Date | null }]>`
    select greatest(max(p.updated_at), max(p.hidden_at), max(p.expires_at) filter (where p.expires_at <= now()),
                    max(u.banned_at), max(pr.updated_at)) as last_modified
    from posts p
    join users u on u.id = p.author_id
    left join profiles pr on pr.user_id = p.author_id
    where ${feedWhere(sql, filter)}`;
  return row.last_modified;
}

/** A skill by id or slug, followed to the skill it was merged into. */
export async function findFeedSkill(sql: Db, key: { id: string } | { slug: string }) {
  const [row] = await sql<(FeedSkill & { created_at: Date })[]>`
    select coalesce(target.id, s.id)::text as id, coalesce(target.slug, s.slug) as slug,
           coalesce(target.label_de, s.label_de) as label_de, coalesce(target.label_en, s.label_en) as label_en,
           coalesce(target.created_at, s.created_at) as created_at
    from skills s left join skills target on target.id = s.merged_into_id
    where ${"id" in key ? sql`s.id = ${key.id}::bigint` : sql`s.slug = ${key.slug}`}`;
  return row;
}
