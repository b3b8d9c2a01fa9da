import type { Db } from "~/lib/db.server";

export async function targetExists(sql: Db, targetType: "post" | "person", targetId: string) {
  const [row] =
    targetType === "post"
      ? await sql`select 1 from posts where id = ${targetId}`
      : await sql`select 1 from profiles where user_id = ${targetId}`;
  return Boolean(row);
}

export async function insertReport(sql: Db, reporterId: string, targetType: string, targetId: string, reason: string) {
  const [row] = await sql<{ id: string }[]>`
    insert into reports (reporter_id, target_type, target_id, reason) values (${reporterId}, ${targetType}, ${targetId}, ${reason})
    on conflict do nothing returning id`;
  return row?.id;
}

/**
 * Open reports that count towards hiding: from people with a profile whose account is older than a day and who
 * are not banned. Fresh throwaway accounts are listed for the admins but hide nothing.
 */
export async function countTrustedOpenReporters(sql: Db, targetType: string, targetId: string) {
  const [row] = await sql<[{ count: number }]>`
    select count(distinct r.reporter_id)::int as count
    from reports r
    join users u on u.id = r.reporter_id and u.banned_at is null and u.created_at <= now() - interval '1 day'
    join profiles p on p.user_id = r.reporter_id
    where r.target_type = ${targetType} and r.target_id = ${targetId} and r.resolved_at is null`;
  return row.count;
}

/** The person a report would be about: the post's author or the person. */
export async function targetOwner(sql: Db, targetType: "post" | "person", targetId: string) {
  if (targetType === "person") return targetId;
  return postAuthor(sql, targetId);
}

export async function hidePost(sql: Db, postId: string) {
  await sql`update posts set hidden_at = coalesce(hidden_at, now()), updated_at = now() where id = ${postId}`;
}

export async function restorePost(sql: Db, postId: string) {
  await sql`update posts set hidden_at = null, updated_at = now() where id = ${postId}`;
}

export async function banUser(sql: Db, userId: string) {
  await sql`update users set banned_at = coalesce(banned_at, now()) where id = ${userId} and not is_admin`;
  await sql`delete from sessions where user_id = ${userId}`;
}

export async function unbanUser(sql: Db, userId: string) {
  await sql`update users set banned_at = null where id = ${userId}`;
}

export async function postAuthor(sql: Db, postId: string) {
  const [row] = await sql<{ author_id: string }[]>`select author_id from posts where id = ${postId}`;
  return row?.author_id;
}

export async function postIdsOfAuthor(sql: Db, authorId: string) {
  const rows = await sql<{ id: string }[]>`select id from posts where author_id = ${authorId}`;
  return rows.map((row) => row.id);
}

export async function resolveReports(sql: Db, targetType: string, targetId: string, resolution: string) {
  await sql`
    update reports set resolved_at = now(), resolution = ${resolution}
    where target_type = ${targetType} and target_id = ${targetId} and resolved_at is null`;
}

export type ReportQueueRow = {
  target_type: "post" | "person";
  target_id: string;
  reports: number;
  reasons: string[];
  first_reported_at: Date;
  title: string | null;
  hidden: boolean;
  banned: boolean;
};

export async function openReportQueue(sql: Db) {
  return sql<ReportQueueRow[]>`
    select r.target_type, r.target_id, count(*)::int as reports, array_agg(r.reason order by r.created_at) as reasons,
           min(r.created_at) as first_reported_at,
           coalesce(p.title, pr.display_name) as title,
           (p.hidden_at is not null) as hidden,
           (coalesce(pu.banned_at, u.banned_at) is not null) as banned
    from reports r
    left join posts p on r.target_type = 'post' and p.id = r.target_id
    left join users pu on pu.id = p.author_id
    left join profiles pr on r.target_type = 'person' and pr.user_id = r.target_id
    left join users u on r.target_type = 'person' and u.id = r.target_id
    where r.resolved_at is null
    group by r.target_type, r.target_id, p.title, pr.display_name, p.hidden_at, pu.banned_at, u.banned_at
    order by count(*) desc, min(r.created_at)`;
}

/** Reports about a post that is being deleted: nothing is left to review. */
export async function deleteReportsAboutPost(sql: Db, postId: string) {
  await sql`delete from reports where target_type = 'post' and target_id = ${postId}`;
}
