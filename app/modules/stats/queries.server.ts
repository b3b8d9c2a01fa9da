import type { Db } from "~/lib/db.server";
import { visiblePost } from "~/modules/posts/queries.server";

/**
 * What the picture counts: open, not hidden, not expired posts by people who are not banned;
 * demo posts only while the demo is switched on. Expects the aliases p (posts) and u (users).
 */
const countable = (sql: Db, includeDemo: boolean) => sql`${visiblePost(sql)} and (${includeDemo}::boolean or not p.is_demo)`;

export type PictureFilter = { category: string | null; role: string | null; includeDemo: boolean };

export type SkillDemandRow = { id: string; slug: string; label_de: string; label_en: string; needs: number; offers: number };

/** Per skill: how many countable needs and offers carry it, for posts matching the filter. */
export async function skillDemand(sql: Db, filter: PictureFilter) {
  return sql<SkillDemandRow[]>`
    select s.id, s.slug, s.label_de, s.label_en,
           count(*) filter (where p.kind = 'need')::int as needs,
           count(*) filter (where p.kind = 'offer')::int as offers
    from posts p
    join users u on u.id = p.author_id
    left join profiles pr on pr.user_id = p.author_id
    join post_skills ps on ps.post_id = p.id
    join skills s on s.id = ps.skill_id
    where ${countable(sql, filter.includeDemo)}
      and (${filter.category}::text is null or p.category = ${filter.category})
      and (${filter.role}::text is null or pr.role = ${filter.role})
    group by s.id, s.slug, s.label_de, s.label_en`;
}

export async function postTotals(sql: Db, filter: PictureFilter) {
  const [row] = await sql<[{ needs: number; offers: number }]>`
    select count(*) filter (where p.kind = 'need')::int as needs,
           count(*) filter (where p.kind = 'offer')::int as offers
    from posts p
    join users u on u.id = p.author_id
    left join profiles pr on pr.user_id = p.author_id
    where ${countable(sql, filter.includeDemo)}
      and (${filter.category}::text is null or p.category = ${filter.category})
      and (${filter.role}::text is null or pr.role = ${filter.role})`;
  return row;
}

export async function districtsWithMostNeeds(sql: Db, filter: PictureFilter, limit: number) {
  return sql<{ district: string; needs: number }[]>`
    select p.district, count(*)::int as needs
    from posts p
    join users u on u.id = p.author_id
    left join profiles pr on pr.user_id = p.author_id
    where ${countable(sql, filter.includeDemo)} and p.kind = 'need' and p.district is not null
      and (${filter.category}::text is null or p.category = ${filter.category})
      and (${filter.role}::text is null or pr.role = ${filter.role})
    group by p.district
    order by needs desc, p.district
    limit ${limit}`;
}

/** Contact requests accepted in the window, between people who are both still allowed in. */
export async function contactsAcceptedSince(sql: Db, days: number) {
  const [row] = await sql<[{ count: number }]>`
    select count(*)::int as count
    from contact_requests c
    join users sender on sender.id = c.sender_id
    join users recipient on recipient.id = c.recipient_id
    where c.status = 'accepted' and c.responded_at > now() - make_interval(days => ${days})
      and sender.banned_at is null and recipient.banned_at is null`;
  return row.count;
}

/** Matches first found in the window (still standing: a match whose posts closed is gone), between allowed people. */
export async function matchesMadeSince(sql: Db, days: number) {
  const [row] = await sql<[{ count: number }]>`
    select count(*)::int as count
    from matches m
    join users need_user on need_user.id = m.need_user_id
    join users offer_user on offer_user.id = m.offer_user_id
    where m.first_seen_at > now() - make_interval(days => ${days})
      and need_user.banned_at is null and offer_user.banned_at is null`;
  return row.count;
}
