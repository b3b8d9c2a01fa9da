import type postgres from "postgres";
import type { Db } from "~/lib/db.server";
import {
  CANDIDATES_PER_GROUP,
  CANDIDATES_PER_SKILL,
  COMPLEMENTARY_ROLE_PAIRS,
  MATCHES_KEPT_PER_SIDE,
  NEAR_GROUP_MAX_SKILLS,
  SCORE_WEIGHTS,
  type ReasonFacts,
} from "./scoring";

/*
 * Matching works on temporary tables that live for one transaction:
 *   m_sides  every side taking part: a visible post, or a visible person's need (sought skills) or offer side
 *   m_keys   what a side can meet on: each skill (key = skill id) and each small ESCO group of it (key < 0)
 *   m_hits    (need side, offer side, need skill, exactly shared?) for every key they meet on
 *   m_idf     rarity weight per skill
 *   m_scored  per candidate pair: the score
 *   m_kept    the pairs to store
 *   m_reasons their reason facts
 * The full recompute fills m_sides with everything; the incremental update with the changed sides plus the
 * sides they can meet. The scoring SQL is the same for both.
 */

/** Both the worker and the recompute take this lock, so a recompute never races an incremental update. */
const MATCHING_LOCK_KEY = 7_300_005;

export async function lockMatching(sql: Db) {
  await sql`select pg_advisory_xact_lock(${MATCHING_LOCK_KEY})`;
}

export async function createWorkTables(sql: Db) {
  await sql`
    create temp table m_sides (
      side_id integer generated always as identity primary key,
      kind text not null,
      user_id bigint not null,
      post_id bigint,
      district text,
      borough text,
      remote boolean not null,
      mode text,
      role text,
      fresh float8 not null,
      -- orders sides by how new they are: a post's id (ids grow with time), a profile's last update
      recency float8 not null,
      changed boolean not null
    ) on commit drop`;
  await sql`
    create temp table m_keys (
      side_id integer not null,
      kind text not null,
      user_id bigint not null,
      skill_id bigint not null,
      key bigint not null,
      exact boolean not null,
      is_person boolean not null,
      recency float8 not null,
      changed boolean not null
    ) on commit drop`;
  // Small ESCO groups get a negative key so skills and groups share one join column.
  await sql`
    create temp table m_groups on commit drop as
    select group_uri as uri, -row_number() over (order by group_uri) as key
    from skill_broader group by group_uri having count(*) <= ${NEAR_GROUP_MAX_SKILLS}`;
}

const visiblePost = (sql: Db) =>
  sql`p.status = 'open' and p.hidden_at is null and p.expires_at > now() and u.banned_at is null`;

const freshness = (sql: Db, column: string) =>
  sql`exp(-greatest(0, extract(epoch from now() - ${sql(column)}))::float8 / 86400 / ${SCORE_WEIGHTS.freshnessDays}::float8)`;

/** Visible posts (p, from `source`, which must name posts as p) passing `filter` become sides. */
async function insertPostSides(sql: Db, source: postgres.Fragment, filter: postgres.Fragment, changed: boolean) {
  await sql`
    insert into m_sides (kind, user_id, post_id, district, borough, remote, mode, role, fresh, recency, changed)
    select p.kind, p.author_id, p.id, p.district, d.borough, p.is_remote, p.exchange_mode, pr.role,
           ${freshness(sql, "p.created_at")}, p.id, ${changed}
    from ${source}
    join users u on u.id = p.author_id
    left join profiles pr on pr.user_id = p.author_id
    left join districts d on d.name = p.district
    where ${visiblePost(sql)} and ${filter}`;
}

/**
 * Visible people (profile, not banned) become a need side (sought skills) and an offer side (offered skills)
 * when they have such skills. `source` yields (user_id, kind) rows as c; `filter` may use pr and c.
 */
async function insertPersonSides(sql: Db, source: postgres.Fragment, filter: postgres.Fragment, changed: boolean) {
  await sql`
    insert into m_sides (kind, user_id, post_id, district, borough, remote, mode, role, fresh, recency, changed)
    select c.kind, pr.user_id, null, pr.district, d.borough, pr.remote_ok, null, pr.role,
           ${freshness(sql, "pr.updated_at")}, extract(epoch from pr.updated_at), ${changed}
    from ${source}
    join profiles pr on pr.user_id = c.user_id
    join users u on u.id = pr.user_id
    left join districts d on d.name = pr.district
    where u.banned_at is null and ${filter}`;
}

/** (user_id, kind) of everyone with profile skills in that direction. */
const personKinds = (sql: Db, users?: string[]) => sql`
  (select distinct ps.user_id, case ps.direction when 'seek' then 'need' else 'offer' end as kind
   from profile_skills ps ${users ? sql`where ps.user_id = any(${users}::bigint[])` : sql``}) c`;

export async function insertAllSides(sql: Db) {
  await insertPostSides(sql, sql`posts p`, sql`true`, true);
  await insertPersonSides(sql, personKinds(sql), sql`true`, true);
}

/** The visible sides of what changed: these posts, and these people's profiles and posts. */
export async function insertChangedSides(sql: Db, postIds: string[], userIds: string[]) {
  if (postIds.length) await insertPostSides(sql, sql`posts p`, sql`p.id = any(${postIds}::bigint[])`, true);
  if (userIds.length) {
    await insertPostSides(
      sql,
      sql`posts p`,
      sql`p.author_id = any(${userIds}::bigint[]) and not exists (select 1 from m_sides s where s.post_id = p.id)`,
      true,
    );
  }
  await insertPersonSides(sql, personKinds(sql, userIds), sql`true`, true);
}

/**
 * Incremental update: the sides the changed ones meet. Per key (skill or group) of a changed side, the newest
 * CANDIDATES_PER_SKILL (CANDIDATES_PER_GROUP) visible sides of the other kind having it, as the full
 * recompute ranks them; they are added as sides and remembered in m_pick.
 */
export async function insertPickedSides(sql: Db) {
  await sql`
    create temp table m_wanted on commit drop as
    select case k.kind when 'need' then 'offer' else 'need' end as kind, k.key, k.skill_id
    from m_keys k where k.exact and k.changed
    union
    select case k.kind when 'need' then 'offer' else 'need' end, k.key, b.skill_id
    from m_keys k join m_groups g on g.key = k.key join skill_broader b on b.group_uri = g.uri
    where not k.exact and k.changed`;
  // Per wanted skill the newest posts (walking the (skill_id, post_id) index backwards, stopping early) and the
  // most recently updated people; then per key and kind the newest of those, as the full recompute ranks them.
  const cap = sql`case when w.key > 0 then ${CANDIDATES_PER_SKILL}::int else ${CANDIDATES_PER_GROUP}::int end`;
  await sql`
    create temp table m_pick on commit drop as
    select kind, key, post_id, user_id from (
      select x.*, row_number() over (partition by x.kind, x.key, x.post_id is null order by x.recency desc, x.user_id) as rank
      from (
        select distinct w.kind, w.key, c.post_id, c.user_id, c.recency, ${cap} as cap
        from m_wanted w
        cross join lateral (
          (select p.id as post_id, p.author_id as user_id, p.id::float8 as recency
           from post_skills ps join posts p on p.id = ps.post_id join users u on u.id = p.author_id
           where ps.skill_id = w.skill_id and p.kind = w.kind and ${visiblePost(sql)}
           order by ps.post_id desc limit ${cap})
          union all
          (select null, ps.user_id, extract(epoch from pr.updated_at)::float8
           from profile_skills ps join profiles pr on pr.user_id = ps.user_id join users u on u.id = ps.user_id
           where ps.skill_id = w.skill_id and ps.direction = case w.kind when 'need' then 'seek' else 'offer' end
             and u.banned_at is null
           order by pr.updated_at desc limit ${cap})
        ) c
      ) x
    ) r
    where rank <= cap`;
  // The partners the changed sides have now are met again, so an edit does not lose matches the last full
  // recompute found from the other side.
  await sql`
    create temp table m_partner on commit drop as
    select s.side_id as changed_side, 'offer' as kind, m.offer_post_id as post_id, m.offer_user_id as user_id
    from m_sides s join matches m on m.need_post_id = s.post_id
    where s.changed and s.kind = 'need' and s.post_id is not null
    union all
    select s.side_id, 'offer', m.offer_post_id, m.offer_user_id
    from m_sides s join matches m on m.need_user_id = s.user_id and m.need_post_id is null
    where s.changed and s.kind = 'need' and s.post_id is null
    union all
    select s.side_id, 'need', m.need_post_id, m.need_user_id
    from m_sides s join matches m on m.offer_post_id = s.post_id
    where s.changed and s.kind = 'offer' and s.post_id is not null
    union all
    select s.side_id, 'need', m.need_post_id, m.need_user_id
    from m_sides s join matches m on m.offer_user_id = s.user_id and m.offer_post_id is null
    where s.changed and s.kind = 'offer' and s.post_id is null`;
  await insertPostSides(
    sql,
    sql`(select post_id from m_pick where post_id is not null union select post_id from m_partner where post_id is not null) c
        join posts p on p.id = c.post_id`,
    sql`not exists (select 1 from m_sides s where s.post_id = p.id)`,
    false,
  );
  await insertPersonSides(
    sql,
    sql`(select user_id, kind from m_pick where post_id is null union select user_id, kind from m_partner where post_id is null) c`,
    sql`not exists (select 1 from m_sides s where s.user_id = c.user_id and s.post_id is null and s.kind = c.kind)`,
    false,
  );
}

/** Keys of the sides that have none yet (exact skills, then their small groups). */
export async function insertKeys(sql: Db) {
  await sql`
    create temp table m_keyed on commit drop as
    select s.* from m_sides s where not exists (select 1 from m_keys k where k.side_id = s.side_id)`;
  await sql`
    insert into m_keys (side_id, kind, user_id, skill_id, key, exact, is_person, recency, changed)
    select s.side_id, s.kind, s.user_id, ps.skill_id, ps.skill_id, true, false, s.recency, s.changed
    from m_keyed s join post_skills ps on ps.post_id = s.post_id
    union all
    select s.side_id, s.kind, s.user_id, ps.skill_id, ps.skill_id, true, true, s.recency, s.changed
    from m_keyed s
    join profile_skills ps on ps.user_id = s.user_id and ps.direction = case s.kind when 'need' then 'seek' else 'offer' end
    where s.post_id is null`;
  await sql`
    insert into m_keys (side_id, kind, user_id, skill_id, key, exact, is_person, recency, changed)
    select k.side_id, k.kind, k.user_id, k.skill_id, g.key, false, k.is_person, k.recency, k.changed
    from m_keys k
    join m_keyed s on s.side_id = k.side_id
    join skill_broader b on b.skill_id = k.skill_id
    join m_groups g on g.uri = b.group_uri
    where k.exact`;
  await sql`drop table m_keyed`;
}

export async function analyzeWorkTables(sql: Db) {
  await sql`analyze m_sides`;
  await sql`analyze m_keys`;
}

/**
 * An incremental update is a dozen small statements whose estimates (temporary tables without statistics) can
 * look expensive enough to trigger JIT compilation, which alone costs more than the whole update.
 */
export async function avoidJit(sql: Db) {
  await sql`set local jit = off`;
}

/** Memory for the big sorts and hashes of the full recompute (this transaction only), instead of spilling to disk. */
export async function allowLargeSorts(sql: Db) {
  await sql`set local work_mem = '256MB'`;
}

/**
 * Full recompute: within each key and kind, the newest CANDIDATES_PER_SKILL (CANDIDATES_PER_GROUP for a
 * group key) posts and as many of the most recently updated people.
 */
export async function rankKeysByRecency(sql: Db) {
  await sql`
    create temp table m_ranked on commit drop as
    select k.*,
           row_number() over (partition by k.key, k.kind, k.is_person order by k.recency desc, k.side_id)
             <= case when k.key > 0 then ${CANDIDATES_PER_SKILL}::int else ${CANDIDATES_PER_GROUP}::int end as newest
    from m_keys k`;
  await sql`analyze m_ranked`;
}

/** Incremental update: the picked sides are the newest on the keys they were picked for. */
export async function rankKeysByPicks(sql: Db) {
  await sql`
    create temp table m_ranked on commit drop as
    select k.*, exists (
      select 1 from m_pick p
      where p.key = k.key and p.kind = s.kind
        and (p.post_id = s.post_id or (p.post_id is null and s.post_id is null and p.user_id = s.user_id))
    ) as newest
    from m_keys k join m_sides s on s.side_id = k.side_id`;
}

/**
 * Candidate pairs: a need side and an offer side of different owners meet on a key when one of them is among
 * the newest on it. Full recompute: both ways, as two joins, so a very common skill costs linear, not
 * quadratic, work. Incremental update: the changed sides meet the ones they picked (and each other); being
 * picked by old sides that have newer candidates is left to the next full recompute.
 */
export async function insertCandidates(sql: Db, incremental: boolean) {
  if (incremental) {
    await sql`
      create temp table m_cand on commit drop as
      select distinct n.side_id as need_side, o.side_id as offer_side
      from m_ranked n join m_ranked o on o.key = n.key and o.kind = 'offer'
      where n.kind = 'need' and n.user_id <> o.user_id
        and ((n.changed and (o.changed or o.newest)) or (o.changed and n.newest))
      union
      select case when s.kind = 'need' then s.side_id else ps.side_id end,
             case when s.kind = 'need' then ps.side_id else s.side_id end
      from m_partner pa
      join m_sides s on s.side_id = pa.changed_side
      join m_sides ps on ps.kind = pa.kind and ps.user_id = pa.user_id and ps.post_id is not distinct from pa.post_id`;
    return;
  }
  await sql`
    create temp table m_cand on commit drop as
    select n.side_id as need_side, o.side_id as offer_side
    from m_ranked n join m_ranked o on o.key = n.key and o.kind = 'offer' and o.newest
    where n.kind = 'need' and n.user_id <> o.user_id
    union
    select n.side_id, o.side_id
    from m_ranked n join m_ranked o on o.key = n.key and o.kind = 'offer' and not o.newest
    where n.kind = 'need' and n.newest and n.user_id <> o.user_id`;
  await sql`analyze m_cand`;
}

/** Every key each candidate pair shares (not only the one they met on), per need skill: exactly shared or related. */
export async function insertHits(sql: Db, incremental: boolean) {
  await sql`
    create temp table m_hits on commit drop as
    select c.need_side, c.offer_side, n.skill_id, bool_or(n.exact and o.exact) as exact
    from m_cand c
    join m_keys n on n.side_id = c.need_side
    join m_keys o on o.side_id = c.offer_side and o.key = n.key
    group by c.need_side, c.offer_side, n.skill_id`;
  if (!incremental) await sql`analyze m_hits`;
}

/** Rarity weights over all visible posts, from the sides table (full recompute: it holds every visible post). */
export async function insertIdfFromSides(sql: Db) {
  const [{ visible_posts }] = await sql<{ visible_posts: number }[]>`
    select count(*)::int as visible_posts from m_sides where post_id is not null`;
  await sql`
    create temp table m_idf on commit drop as
    select skill_id, posts, ln((${visible_posts}::float8 + 1) / (posts + 1)) + 1 as idf
    from (
      select k.skill_id, count(*) filter (where s.post_id is not null) as posts
      from m_keys k join m_sides s on s.side_id = k.side_id
      where k.exact
      group by k.skill_id
    ) counts`;
  await sql`analyze m_idf`;
  return visible_posts;
}

/**
 * Rarity weights for the skills the hits use, from the counts of the last full recompute; skills it did not
 * see (and everything before the first recompute) are counted live.
 */
export async function insertIdfForHits(sql: Db) {
  const [state] = await sql<{ visible_posts: number }[]>`select visible_posts from matching_state where id = 1`;
  const visiblePosts =
    state?.visible_posts ??
    (
      await sql<{ n: number }[]>`
        select count(*)::int as n from posts p join users u on u.id = p.author_id where ${visiblePost(sql)}`
    )[0].n;
  await sql`
    create temp table m_idf on commit drop as
    select w.skill_id, ln((${visiblePosts}::float8 + 1) / (coalesce(known.visible_posts, live.posts) + 1)) + 1 as idf
    from (select distinct skill_id from m_hits) w
    left join matching_skill_counts known on known.skill_id = w.skill_id and ${state !== undefined}
    left join lateral (
      select count(*) as posts
      from post_skills ps join posts p on p.id = ps.post_id join users u on u.id = p.author_id
      where known.skill_id is null and ps.skill_id = w.skill_id and ${visiblePost(sql)}
    ) live on true`;
}

/** The place relation of need side n and offer side o (see placeRelation in scoring.ts). */
const placeOf = (sql: Db) => sql`
  case when n.borough is not null and o.borough is not null then
         case when n.district = o.district then 'district' when n.borough = o.borough then 'borough' else 'city' end
       when n.remote or o.remote then 'remote' end`;

/** The exchange relation of n and o (see exchangeRelation in scoring.ts). */
const exchangeOf = (sql: Db) => sql`
  case when n.mode is null or o.mode is null then 'unknown'
       when n.mode = o.mode then 'same'
       when n.mode = 'open' or o.mode = 'open' then 'open'
       when n.mode in ('paid', 'volunteer') and o.mode in ('paid', 'volunteer') then 'conflict'
       else 'other' end`;

/**
 * Scores every candidate pair (scoreMatch in scoring.ts, as SQL): skill weight from the hits and rarity weights,
 * then the context factor. Blocked pairs are dropped. Only what ranking needs is kept; the reason facts are
 * built later for the pairs that are stored.
 */
export async function insertScoredPairs(sql: Db) {
  const { nearSkill, context, place, exchange } = SCORE_WEIGHTS;
  // Both directions of every block, so one anti-join on (need owner, offer owner) drops blocked pairs.
  await sql`
    create temp table m_blocked on commit drop as
    select blocker_id as a, blocked_id as b from blocks union select blocked_id, blocker_id from blocks`;
  const [{ any_block }] = await sql<{ any_block: boolean }[]>`select exists (select 1 from m_blocked) as any_block`;
  if (any_block) await sql`analyze m_blocked`;
  const notBlocked = any_block ? sql`where not exists (select 1 from m_blocked x where x.a = n.user_id and x.b = o.user_id)` : sql``;
  await sql`
    create temp table m_scored on commit drop as
    select p.need_side, p.offer_side, n.user_id as need_user_id, n.post_id as need_post_id,
           o.user_id as offer_user_id, o.post_id as offer_post_id, n.changed as need_changed, o.changed as offer_changed,
           p.skill_weight * (1
             + ${context.place}::float8 * case ${placeOf(sql)} when 'district' then ${place.district}::float8
                 when 'borough' then ${place.borough}::float8 when 'city' then ${place.city}::float8
                 when 'remote' then ${place.remote}::float8 else 0 end
             + ${context.roles}::float8 * case when (n.role || ':' || o.role) = any(${COMPLEMENTARY_ROLE_PAIRS}::text[]) then 1 else 0 end
             + ${context.freshness}::float8 * (n.fresh + o.fresh) / 2
             + ${context.exchange}::float8 * case ${exchangeOf(sql)} when 'same' then ${exchange.same}::float8
                 when 'open' then ${exchange.open}::float8 when 'conflict' then ${exchange.conflict}::float8
                 when 'other' then ${exchange.other}::float8 else ${exchange.unknown}::float8 end
           ) as score
    from (
      select h.need_side, h.offer_side, sum(i.idf * case when h.exact then 1 else ${nearSkill}::float8 end) as skill_weight
      from m_hits h join m_idf i on i.skill_id = h.skill_id
      group by h.need_side, h.offer_side
    ) p
    join m_sides n on n.side_id = p.need_side
    join m_sides o on o.side_id = p.offer_side
    ${notBlocked}`;
}

/**
 * The pairs worth storing: those among the best MATCHES_KEPT_PER_SIDE post candidates or person candidates of
 * either side. In the full recompute both rankings are complete. In an incremental update only the changed
 * sides' rankings are; for an unchanged side the pair is kept when it beats that side's current
 * MATCHES_KEPT_PER_SIDE-th stored match (or it has fewer), so better newcomers enter its list.
 */
export async function insertKeptPairs(sql: Db, incremental: boolean) {
  const k = MATCHES_KEPT_PER_SIDE;
  const ranked = sql`
    select s.*,
           row_number() over (partition by s.need_side, s.offer_post_id is null order by s.score desc, s.offer_side) as need_rank,
           row_number() over (partition by s.offer_side, s.need_post_id is null order by s.score desc, s.need_side) as offer_rank
    from m_scored s`;
  if (!incremental) {
    await sql`
      create temp table m_kept on commit drop as
      select * from (${ranked}) r where r.need_rank <= ${k} or r.offer_rank <= ${k}`;
    await sql`analyze m_kept`;
    return;
  }
  // The MATCHES_KEPT_PER_SIDE-th best stored score of each unchanged side, per type of partner.
  await sql`
    create temp table m_bar on commit drop as
    select side_id, partner_is_person, score from (
      select side_id, partner_is_person, score,
             row_number() over (partition by side_id, partner_is_person order by score desc) as rank
      from (
        select s.side_id, m.offer_post_id is null as partner_is_person, m.score
        from m_sides s join matches m on m.need_post_id = s.post_id
        where not s.changed and s.kind = 'need' and s.post_id is not null
        union all
        select s.side_id, m.offer_post_id is null, m.score
        from m_sides s join matches m on m.need_user_id = s.user_id and m.need_post_id is null
        where not s.changed and s.kind = 'need' and s.post_id is null
        union all
        select s.side_id, m.need_post_id is null, m.score
        from m_sides s join matches m on m.offer_post_id = s.post_id
        where not s.changed and s.kind = 'offer' and s.post_id is not null
        union all
        select s.side_id, m.need_post_id is null, m.score
        from m_sides s join matches m on m.offer_user_id = s.user_id and m.offer_post_id is null
        where not s.changed and s.kind = 'offer' and s.post_id is null
      ) stored
    ) ranked
    where rank = ${k}`;
  await sql`
    create temp table m_kept on commit drop as
    select r.* from (${ranked}) r
    left join m_bar need_bar on need_bar.side_id = r.need_side and need_bar.partner_is_person = (r.offer_post_id is null)
    left join m_bar offer_bar on offer_bar.side_id = r.offer_side and offer_bar.partner_is_person = (r.need_post_id is null)
    where (r.need_changed and r.need_rank <= ${k})
       or (r.offer_changed and r.offer_rank <= ${k})
       or (not r.need_changed and (need_bar.score is null or r.score >= need_bar.score))
       or (not r.offer_changed and (offer_bar.score is null or r.score >= offer_bar.score))`;
}

/** The reason facts (ReasonFacts in scoring.ts) of every kept pair, as the JSON stored with the match. */
export async function insertKeptReasons(sql: Db) {
  await sql`
    create temp table m_reasons on commit drop as
    select k.need_side, k.offer_side,
           jsonb_build_object(
             'shared', coalesce(to_jsonb(sk.shared), '[]'::jsonb),
             'near', coalesce(to_jsonb(sk.near), '[]'::jsonb),
             'place', ${placeOf(sql)},
             'district', case when ${placeOf(sql)} = 'district' then n.district end,
             'borough', case when ${placeOf(sql)} in ('district', 'borough') then n.borough end,
             'roles', case when (n.role || ':' || o.role) = any(${COMPLEMENTARY_ROLE_PAIRS}::text[])
                           then jsonb_build_array(n.role, o.role) end,
             'exchange', case when n.mode = o.mode or o.mode = 'open' then n.mode when n.mode = 'open' then o.mode end
           ) as reasons
    from m_kept k
    join m_sides n on n.side_id = k.need_side
    join m_sides o on o.side_id = k.offer_side
    join (
      -- one sort of the kept pairs' hits (rarest skill first) feeds the arrays in that order
      select need_side, offer_side,
             array_agg(skill_id) filter (where exact) as shared,
             array_agg(skill_id) filter (where not exact) as near
      from (
        select h.need_side, h.offer_side, h.skill_id, h.exact
        from m_hits h
        join m_kept k2 on k2.need_side = h.need_side and k2.offer_side = h.offer_side
        join m_idf i on i.skill_id = h.skill_id
        order by h.need_side, h.offer_side, i.idf desc, h.skill_id
      ) sorted
      group by need_side, offer_side
    ) sk on sk.need_side = k.need_side and sk.offer_side = k.offer_side`;
}

/** A person side's user id (null for a post side), for the person foreign key of the side. */
const personOf = (sql: Db, side: "need" | "offer") =>
  side === "need"
    ? sql`case when k.need_post_id is null then k.need_user_id end`
    : sql`case when k.offer_post_id is null then k.offer_user_id end`;

/**
 * Replaces all stored matches with the kept ones; a pair that was stored before keeps its first_seen_at.
 * Mutual: the reverse owner pair is among the kept ones.
 */
export async function replaceAllMatches(sql: Db, visiblePosts: number) {
  await sql`
    create temp table m_old on commit drop as
    select need_user_id, coalesce(need_post_id, 0) as need_post, offer_user_id, coalesce(offer_post_id, 0) as offer_post, first_seen_at
    from matches`;
  await sql`
    create temp table m_owner_pairs on commit drop as
    select distinct need_user_id, offer_user_id from m_kept`;
  await sql`delete from matches`;
  await sql`
    insert into matches (need_user_id, need_post_id, need_person_id, offer_user_id, offer_post_id, offer_person_id,
                         score, mutual, reasons, first_seen_at, updated_at)
    select k.need_user_id, k.need_post_id, ${personOf(sql, "need")}, k.offer_user_id, k.offer_post_id, ${personOf(sql, "offer")},
           k.score, reverse.need_user_id is not null,
           r.reasons, coalesce(old.first_seen_at, now()), now()
    from m_kept k
    join m_reasons r on r.need_side = k.need_side and r.offer_side = k.offer_side
    left join m_owner_pairs reverse on reverse.need_user_id = k.offer_user_id and reverse.offer_user_id = k.need_user_id
    left join m_old old on old.need_user_id = k.need_user_id and old.need_post = coalesce(k.need_post_id, 0)
      and old.offer_user_id = k.offer_user_id and old.offer_post = coalesce(k.offer_post_id, 0)`;
  await sql`
    insert into matching_state (id, visible_posts, recomputed_at) values (1, ${visiblePosts}, now())
    on conflict (id) do update set visible_posts = excluded.visible_posts, recomputed_at = excluded.recomputed_at`;
  await sql`delete from matching_skill_counts`;
  await sql`insert into matching_skill_counts (skill_id, visible_posts) select skill_id, posts from m_idf`;
  const [{ count }] = await sql<{ count: number }[]>`select count(*)::int as count from matches`;
  return count;
}

/**
 * Stores the kept pairs of an incremental update and removes the stored matches of the touched posts and
 * people that no longer fit; mutual flags of every match of the touched owners are refreshed.
 */
export async function mergeChangedMatches(sql: Db, postIds: string[], userIds: string[]) {
  await sql`
    insert into matches (need_user_id, need_post_id, need_person_id, offer_user_id, offer_post_id, offer_person_id, score, reasons)
    select k.need_user_id, k.need_post_id, ${personOf(sql, "need")}, k.offer_user_id, k.offer_post_id, ${personOf(sql, "offer")},
           k.score, r.reasons
    from m_kept k join m_reasons r on r.need_side = k.need_side and r.offer_side = k.offer_side
    on conflict on constraint matches_pair do update
      set score = excluded.score, reasons = excluded.reasons, updated_at = now()`;
  const touchedPosts = await sql<{ id: string; author_id: string }[]>`
    select id, author_id from posts where id = any(${postIds}::bigint[]) or author_id = any(${userIds}::bigint[])`;
  const touchedPostIds = touchedPosts.map((post) => post.id);
  // A deleted post's matches went with it (foreign keys cascade); one that is no longer visible has a row here.
  await sql`
    delete from matches m
    where (m.need_post_id = any(${touchedPostIds}::bigint[]) or m.offer_post_id = any(${touchedPostIds}::bigint[])
           or (m.need_post_id is null and m.need_user_id = any(${userIds}::bigint[]))
           or (m.offer_post_id is null and m.offer_user_id = any(${userIds}::bigint[])))
      and not exists (
        select 1 from m_kept k
        where k.need_user_id = m.need_user_id and k.need_post_id is not distinct from m.need_post_id
          and k.offer_user_id = m.offer_user_id and k.offer_post_id is not distinct from m.offer_post_id)`;
  const owners = [...new Set([...userIds, ...touchedPosts.map((post) => post.author_id)])];
  await sql`
    update matches m set mutual = r.mutual
    from (
      select m2.need_user_id, m2.need_post_id, m2.offer_user_id, m2.offer_post_id,
             exists (select 1 from matches x where x.need_user_id = m2.offer_user_id and x.offer_user_id = m2.need_user_id) as mutual
      from matches m2
      where m2.need_user_id = any(${owners}::bigint[]) or m2.offer_user_id = any(${owners}::bigint[])
    ) r
    where m.need_user_id = r.need_user_id and m.need_post_id is not distinct from r.need_post_id
      and m.offer_user_id = r.offer_user_id and m.offer_post_id is not distinct from r.offer_post_id
      and m.mutual <> r.mutual`;
}

/** Work tables drop at commit; dropping them now lets one transaction run several updates (tests, batches). */
export async function dropWorkTables(sql: Db) {
  await sql`
    drop table if exists m_sides, m_keys, m_groups, m_wanted, m_pick, m_partner, m_ranked, m_cand, m_hits, m_idf, m_blocked, m_scored, m_bar, m_kept, m_reasons,
      m_old, m_owner_pairs`;
}

export async function countWork(sql: Db) {
  const [row] = await sql<{ sides: number; keys: number; hits: number; pairs: number; kept: number }[]>`
    select (select count(*)::int from m_sides) as sides, (select count(*)::int from m_keys) as keys,
           (select count(*)::int from m_hits) as hits, (select count(*)::int from m_scored) as pairs,
           (select count(*)::int from m_kept) as kept`;
  return row;
}

/* ---------- reading ---------- */

export type StoredReasons = {
  shared: (number | string)[];
  near: (number | string)[];
  place: ReasonFacts["place"];
  district: string | null;
  borough: string | null;
  roles: ReasonFacts["roles"];
  exchange: ReasonFacts["exchange"];
};

export type MatchRow = {
  need_user_id: string;
  need_post_id: string | null;
  offer_user_id: string;
  offer_post_id: string | null;
  score: number;
  mutual: boolean;
  reasons: StoredReasons;
  first_seen_at: Date;
  updated_at: Date;
  need_title: string | null;
  offer_title: string | null;
  need_name: string | null;
  offer_name: string | null;
};

/** Both sides still visible (posts open, not hidden, not expired; owners not banned; person sides with a profile) and not blocked. */
const readableMatch = (sql: Db) => sql`
  nu.banned_at is null and ou.banned_at is null
  and (m.need_post_id is null and npr.user_id is not null
       or np.status = 'open' and np.hidden_at is null and np.expires_at > now())
  and (m.offer_post_id is null and opr.user_id is not null
       or op.status = 'open' and op.hidden_at is null and op.expires_at > now())
  and not exists (
    select 1 from blocks b
    where (b.blocker_id = m.need_user_id and b.blocked_id = m.offer_user_id)
       or (b.blocker_id = m.offer_user_id and b.blocked_id = m.need_user_id))`;

const matchColumns = (sql: Db) => sql`
  m.need_user_id, m.need_post_id, m.offer_user_id, m.offer_post_id, m.score, m.mutual, m.reasons,
  m.first_seen_at, m.updated_at, np.title as need_title, op.title as offer_title,
  npr.display_name as need_name, opr.display_name as offer_name`;

const matchJoins = (sql: Db) => sql`
  join users nu on nu.id = m.need_user_id
  join users ou on ou.id = m.offer_user_id
  left join posts np on np.id = m.need_post_id
  left join posts op on op.id = m.offer_post_id
  left join profiles npr on npr.user_id = m.need_user_id
  left join profiles opr on opr.user_id = m.offer_user_id`;

/** Matches where one side is the user's (a post or their profile), mutual first, best first. */
export async function listMatchesOfUser(sql: Db, userId: string, options: { since?: Date | null; limit: number }) {
  const since = options.since ? sql`and m.first_seen_at > ${options.since}` : sql``;
  return sql<MatchRow[]>`
    select ${matchColumns(sql)}
    from matches m ${matchJoins(sql)}
    where (m.need_user_id = ${userId} or m.offer_user_id = ${userId}) ${since} and ${readableMatch(sql)}
    order by m.mutual desc, m.score desc, m.first_seen_at desc
    limit ${options.limit}`;
}

export async function countMatchesOfUser(sql: Db, userId: string, since: Date | null) {
  const sinceFilter = since ? sql`and m.first_seen_at > ${since}` : sql``;
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count
    from matches m ${matchJoins(sql)}
    where (m.need_user_id = ${userId} or m.offer_user_id = ${userId}) ${sinceFilter} and ${readableMatch(sql)}`;
  return row.count;
}

/** The best posts of the other kind for one post (people are left to "Meine Matches"). */
export async function listPostMatchesOfPost(sql: Db, postId: string, limit: number) {
  return sql<MatchRow[]>`
    select ${matchColumns(sql)}
    from matches m ${matchJoins(sql)}
    where ((m.need_post_id = ${postId} and m.offer_post_id is not null)
        or (m.offer_post_id = ${postId} and m.need_post_id is not null))
      and ${readableMatch(sql)}
    order by m.mutual desc, m.score desc
    limit ${limit}`;
}

export async function skillsByIds(sql: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return sql<{ id: string; slug: string; label_de: string; label_en: string }[]>`
    select id, slug, label_de, label_en from skills where id = any(${ids}::bigint[])`;
}

export async function findMatchesSeenAt(sql: Db, userId: string) {
  const [row] = await sql<{ matches_seen_at: Date | null }[]>`select matches_seen_at from profiles where user_id = ${userId}`;
  return row ? row.matches_seen_at : undefined;
}

/** Records "I have looked at my matches" (only the owner's own row). */
export async function setMatchesSeenAt(sql: Db, userId: string) {
  const rows = await sql`update profiles set matches_seen_at = now() where user_id = ${userId} returning user_id`;
  return rows.length > 0;
}
