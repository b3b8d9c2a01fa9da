import type { Db } from "~/lib/db.server";
import type { PostInput } from "./schema";

export type PostRow = {
  id: string;
  author_id: string;
  kind: "offer" | "need";
  title: string;
  description: string;
  category: string;
  district: string | null;
  is_remote: boolean;
  exchange_mode: string;
  status: "open" | "fulfilled" | "closed";
  expires_at: Date;
  hidden_at: Date | null;
  is_demo: boolean;
  created_at: Date;
  updated_at: Date;
  author_name: string | null;
  author_role: string | null;
};

export type PostSkillRow = { post_id: string; id: string; slug: string; label_de: string; label_en: string };

/**
 * The one rule for a post anyone may see — open, not hidden, not expired, by someone not banned — used by every
 * reader (posts, search, matching, stats, feeds, skill pages). `post` and `author` name the caller's aliases of
 * posts and of their authors (users); `author: null` when the query does not join the author, who is then checked
 * by a subquery.
 */
export const visiblePost = (sql: Db, aliases: { post?: string; author?: string | null } = {}) => {
  const post = sql.unsafe(quoteIdentifier(aliases.post ?? "p"));
  const authorNotBanned =
    aliases.author === null
      ? sql`exists (select 1 from users author where author.id = ${post}.author_id and author.banned_at is null)`
      : sql`${sql.unsafe(quoteIdentifier(aliases.author ?? "u"))}.banned_at is null`;
  return sql`${post}.status = 'open' and ${post}.hidden_at is null and ${post}.expires_at > now() and ${authorNotBanned}`;
};

/** Aliases are names written in this code, never input; quoted anyway. */
function quoteIdentifier(name: string) {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function insertPost(sql: Db, authorId: string, input: PostInput) {
  const [row] = await sql<[{ id: string }]>`
    insert into posts (author_id, kind, title, description, category, district, is_remote, exchange_mode, expires_at)
    values (${authorId}, ${input.kind}, ${input.title}, ${input.description}, ${input.category},
            ${input.location.district}, ${input.location.isRemote}, ${input.exchangeMode},
            ${input.expiresOn}::date + time '23:59:59')
    returning id`;
  return row.id;
}

/** Changes a post only when the actor wrote it (or is an admin); returns its author, or undefined otherwise. */
export async function updatePost(sql: Db, postId: string, actor: { id: string; isAdmin: boolean }, input: PostInput) {
  const [row] = await sql<{ author_id: string }[]>`
    update posts set kind = ${input.kind}, title = ${input.title}, description = ${input.description},
           category = ${input.category}, district = ${input.location.district}, is_remote = ${input.location.isRemote},
           exchange_mode = ${input.exchangeMode}, expires_at = ${input.expiresOn}::date + time '23:59:59', updated_at = now()
    where id = ${postId} and (author_id = ${actor.id} or ${actor.isAdmin})
    returning author_id`;
  return row?.author_id;
}

export async function replacePostSkills(sql: Db, postId: string, skillIds: string[]) {
  await sql`delete from post_skills where post_id = ${postId}`;
  await sql`
    insert into post_skills ${sql(skillIds.map((skillId, position) => ({ post_id: postId, skill_id: skillId, position })))}`;
}

export async function setPostStatus(sql: Db, postId: string, actor: { id: string; isAdmin: boolean }, status: string) {
  const rows = await sql`
    update posts set status = ${status}, updated_at = now()
    where id = ${postId} and (author_id = ${actor.id} or ${actor.isAdmin})
    returning id`;
  return rows.length > 0;
}

export async function renewPost(sql: Db, postId: string, actor: { id: string; isAdmin: boolean }, days: number) {
  const [row] = await sql<{ expires_at: Date }[]>`
    update posts set expires_at = greatest(expires_at, now()) + make_interval(days => ${days}), updated_at = now()
    where id = ${postId} and (author_id = ${actor.id} or ${actor.isAdmin})
    returning expires_at`;
  return row?.expires_at;
}

/** One post with its skills (one statement: a post page reads nothing else about the post). */
export async function findPost(sql: Db, postId: string) {
  const [row] = await sql<(PostRow & { author_banned: boolean; skills: Omit<PostSkillRow, "post_id">[] })[]>`
    select p.*, pr.display_name as author_name, pr.role as author_role, (u.banned_at is not null) as author_banned,
           ${skillsOfPostJson(sql)} as skills
    from posts p join users u on u.id = p.author_id left join profiles pr on pr.user_id = p.author_id
    where p.id = ${postId}`;
  return row;
}

/**
 * The one way a post's skills are attached: in the author's order, with both labels. skillsOfPosts for a batch of
 * posts, skillsOfPostJson inside a statement that lists posts (alias `post`, default p).
 */
export const skillsOfPostJson = (sql: Db, post = "p") => sql`
  coalesce((
    select json_agg(json_build_object('id', s.id::text, 'slug', s.slug, 'label_de', s.label_de, 'label_en', s.label_en)
                    order by ps.position)
    from post_skills ps join skills s on s.id = ps.skill_id
    where ps.post_id = ${sql.unsafe(quoteIdentifier(post))}.id), '[]'::json)`;

export async function skillsOfPosts(sql: Db, postIds: string[]) {
  if (postIds.length === 0) return [];
  return sql<PostSkillRow[]>`
    select ps.post_id, s.id, s.slug, s.label_de, s.label_en
    from post_skills ps join skills s on s.id = ps.skill_id
    where ps.post_id = any(${postIds})
    order by ps.post_id, ps.position`;
}

export async function listNewestVisiblePosts(sql: Db, kind: "offer" | "need", limit: number) {
  return sql<PostRow[]>`
    select p.*, pr.display_name as author_name, pr.role as author_role
    from posts p join users u on u.id = p.author_id left join profiles pr on pr.user_id = p.author_id
    where p.kind = ${kind} and ${visiblePost(sql)}
    order by p.created_at desc, p.id desc
    limit ${limit}`;
}

export async function listVisiblePostsOfAuthor(sql: Db, authorId: string) {
  return sql<PostRow[]>`
    select p.*, pr.display_name as author_name, pr.role as author_role
    from posts p join users u on u.id = p.author_id left join profiles pr on pr.user_id = p.author_id
    where p.author_id = ${authorId} and ${visiblePost(sql)}
    order by p.created_at desc`;
}

export async function listPostsOfAuthor(sql: Db, authorId: string) {
  return sql<PostRow[]>`
    select p.*, null as author_name, null as author_role from posts p
    where p.author_id = ${authorId} order by p.created_at desc`;
}

/** Deletes a post only when the actor wrote it (or is an admin); its skills, matches, search row and images cascade. */
export async function deletePost(sql: Db, postId: string, actor: { id: string; isAdmin: boolean }) {
  const rows = await sql`delete from posts where id = ${postId} and (author_id = ${actor.id} or ${actor.isAdmin}) returning id`;
  return rows.length > 0;
}

/** Hashes of the image variants of a post, read before it is deleted (an object store's copies go after the commit). */
export async function imageHashesOfPost(sql: Db, postId: string) {
  const rows = await sql<
    { hash: string }[]
  >`select v.hash from image_variants v join images i on i.id = v.image_id where i.post_id = ${postId}`;
  return rows.map((row) => row.hash);
}
