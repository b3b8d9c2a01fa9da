import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Db } from "~/lib/db.server";
import { LOCK } from "~/lib/locks.server";
import { createShadowTable, swapInShadowTable } from "~/lib/table-swap.server";
import { visiblePost } from "~/modules/posts/queries.server";
import type { ExchangeMode, Role } from "~/lib/reference";
import { factsJson, type MatchSide, type StoredFacts } from "./engine";
import type { OverflowingPair, SideKey, StoredListEntry } from "./incremental";
import { SCORE_WEIGHTS, type ReasonFacts } from "./scoring";

/*
 * The data matching reads (sides with their skills, the taxonomy's small groups, rarity counts, blocks) and
 * writes (the matches table). The computation itself is in engine.ts.
 */

/** Bounds every statement and lock wait of the current transaction (SET LOCAL ends with it). */
export async function limitStatementTime(sql: Db, milliseconds: number) {
  await sql`select set_config('statement_timeout', ${`${milliseconds}ms`}, true), set_config('lock_timeout', ${`${milliseconds}ms`}, true)`;
}

/**
 * Serialises writers of matches until the transaction ends. `genericPlans` (an incremental update): for the rest of
 * the transaction, prepared statements reuse one generic plan instead of being planned anew for each run, as the
 * pool's connections otherwise do for the sake of the trigram searches. An update's statements are keyed by ids
 * and arrays of ids, so one plan fits all of them; at 100k posts this cut an update's p50 from 12.5 to 10.0 ms
 * and halved the time of its three smallest statements (bench:match).
 */
export async function lockMatching(sql: Db, options: { genericPlans?: boolean } = {}) {
  if (options.genericPlans)
    await sql`select pg_advisory_xact_lock(${LOCK.matching}), set_config('plan_cache_mode', 'force_generic_plan', true)`;
  else await sql`select pg_advisory_xact_lock(${LOCK.matching})`;
}

const freshness = (sql: Db, column: string) =>
  sql`exp(-greatest(0, extract(epoch from now() - ${sql(column)}))::float8 / 86400 / ${SCORE_WEIGHTS.freshnessDays}::float8)`;

type SideRow = {
  kind: "need" | "offer";
  post_id: string | null;
  user_id: string;
  district: string | null;
  borough: string | null;
  remote: boolean;
  exchange_mode: ExchangeMode | null;
  role: Role | null;
  fresh: number;
  recency: number;
  /** skill ids, comma-separated (a plain string parses much faster than a bigint array) */
  skills: string | null;
};

function toSide(row: SideRow): MatchSide {
  return {
    kind: row.kind,
    postId: row.post_id,
    userId: row.user_id,
    district: row.district,
    borough: row.borough,
    remote: row.remote,
    exchangeMode: row.exchange_mode,
    role: row.role,
    fresh: row.fresh,
    recency: row.recency,
    skills: row.skills ? row.skills.split(",").map(Number) : [],
  };
}

/** Visible posts as sides: open, not hidden, not expired, author not banned. */
export async function loadPostSides(sql: Db, filter: { all: true } | { postIds: string[]; authorIds: string[] }) {
  const where =
    "all" in filter ? sql`` : sql`and (p.id = any(${filter.postIds}::bigint[]) or p.author_id = any(${filter.authorIds}::bigint[]))`;
  const rows = await sql<SideRow[]>`
    select p.kind, p.id::text as post_id, p.author_id::text as user_id, p.district, d.borough, p.is_remote as remote,
           p.exchange_mode, pr.role, ${freshness(sql, "p.created_at")} as fresh, p.id::float8 as recency,
           (select string_agg(ps.skill_id::text, ',') from post_skills ps where ps.post_id = p.id) as skills
    from posts p
    join users u on u.id = p.author_id
    left join profiles pr on pr.user_id = p.author_id
    left join districts d on d.name = p.district
    where ${visiblePost(sql)} ${where}`;
  return rows.map(toSide);
}

/** People (profile, not banned) as a need side (sought skills) and an offer side (offered skills), when they have such skills. */
export async function loadPersonSides(sql: Db, filter: { all: true } | { users: string[]; kinds: ("need" | "offer" | "both")[] }) {
  const where =
    "all" in filter
      ? sql``
      : sql`and pr.user_id = any(${filter.users}::bigint[]) and exists (
          select 1 from unnest(${filter.users}::bigint[], ${filter.kinds}::text[]) w (user_id, kind)
          where w.user_id = pr.user_id and (w.kind = 'both' or w.kind = case ps.direction when 'seek' then 'need' else 'offer' end))`;
  const rows = await sql<SideRow[]>`
    select case ps.direction when 'seek' then 'need' else 'offer' end as kind, null as post_id, pr.user_id::text as user_id,
           pr.district, d.borough, pr.remote_ok as remote, null as exchange_mode, pr.role,
           ${freshness(sql, "pr.updated_at")} as fresh, extract(epoch from pr.updated_at)::float8 as recency,
           string_agg(ps.skill_id::text, ',') as skills
    from profile_skills ps
    join profiles pr on pr.user_id = ps.user_id
    join users u on u.id = pr.user_id
    left join districts d on d.name = pr.district
    where u.banned_at is null ${where}
    group by ps.direction, pr.user_id, pr.district, d.borough, pr.remote_ok, pr.role, pr.updated_at`;
  return rows.map(toSide);
}

export async function loadBlocks(sql: Db, userIds?: string[]) {
  const where = userIds ? sql`where blocker_id = any(${userIds}::bigint[]) or blocked_id = any(${userIds}::bigint[])` : sql``;
  const rows = await sql<{ a: string; b: string }[]>`select blocker_id::text as a, blocked_id::text as b from blocks ${where}`;
  return rows.map((row): [string, string] => [row.a, row.b]);
}

/**
 * Incremental update: for each wanted skill set (one skill, or a small group's skills) the newest `cap` visible
 * posts of that kind having one of them and the `cap` most recently updated people seeking (need) or offering
 * (offer) one, as the full recompute ranks them. Walks the (skill_id, post_id) index backwards, stopping early.
 */
export async function pickNewestSides(sql: Db, wanted: { kind: "need" | "offer"; key: number; skills: number[]; cap: number }[]) {
  if (wanted.length === 0) return { postIds: [] as string[], people: [] as { userId: string; kind: "need" | "offer" }[] };
  const flat = wanted.flatMap((want) => want.skills.map((skill) => ({ ...want, skill })));
  const rows = await sql<{ kind: "need" | "offer"; post_id: string | null; user_id: string }[]>`
    select kind, post_id::text, user_id::text from (
      select x.*, row_number() over (partition by x.kind, x.key, x.post_id is null order by x.recency desc, x.user_id) as rank
      from (
        select distinct w.kind, w.key, c.post_id, c.user_id, c.recency, w.cap
        from unnest(${flat.map((row) => row.kind)}::text[], ${flat.map((row) => row.key)}::bigint[],
                    ${flat.map((row) => row.skill)}::bigint[], ${flat.map((row) => row.cap)}::int[]) w (kind, key, skill_id, cap)
        cross join lateral (
          (select p.id as post_id, p.author_id as user_id, p.id::float8 as recency
           from post_skills ps join posts p on p.id = ps.post_id join users u on u.id = p.author_id
           where ps.skill_id = w.skill_id and p.kind = w.kind and ${visiblePost(sql)}
           order by ps.post_id desc limit w.cap)
          union all
          (select null, ps.user_id, extract(epoch from pr.updated_at)::float8
           from profile_skills ps join profiles pr on pr.user_id = ps.user_id join users u on u.id = ps.user_id
           where ps.skill_id = w.skill_id and ps.direction = case w.kind when 'need' then 'seek' else 'offer' end
             and u.banned_at is null
           order by pr.updated_at desc limit w.cap)
        ) c
      ) x
    ) r
    where rank <= cap`;
  return {
    postIds: [...new Set(rows.filter((row) => row.post_id).map((row) => row.post_id as string))],
    people: rows.filter((row) => !row.post_id).map((row) => ({ userId: row.user_id, kind: row.kind })),
  };
}

export type { StoredListEntry } from "./incremental";

/**
 * The best `limit` (null: all) stored matches of each of these sides per partner type (post, person), each seen
 * from that side: one index range scan per side and type, best first (a popular person's profile is in
 * thousands of lists).
 */
export async function storedLists(sql: Db, sides: MatchSide[], limit: number | null): Promise<StoredListEntry[]> {
  if (sides.length === 0) return [];
  const rows = await sql<{ side: SideKey; partner_user_id: string; partner_post_id: string | null; score: number }[]>`
    with s (kind, user_id, post_id) as (
      select * from unnest(${sides.map((side) => side.kind)}::text[], ${sides.map((side) => side.userId)}::bigint[],
                           ${sides.map((side) => side.postId)}::bigint[])
    ), t (person) as (values (false), (true))
    select case when s.post_id is not null then 'p' || s.post_id else s.kind || s.user_id end as side,
           m.partner_user_id::text, m.partner_post_id::text, m.score
    from s cross join t
    cross join lateral (
      select * from (
        (select m.offer_user_id as partner_user_id, m.offer_post_id as partner_post_id, m.score from matches m
         where s.kind = 'need' and s.post_id is not null and m.need_post_id = s.post_id and (m.offer_post_id is null) = t.person
         order by m.score desc limit ${limit})
        union all
        (select m.offer_user_id, m.offer_post_id, m.score from matches m
         where s.kind = 'need' and s.post_id is null and m.need_user_id = s.user_id and m.need_post_id is null
           and (m.offer_post_id is null) = t.person
         order by m.score desc limit ${limit})
        union all
        (select m.need_user_id, m.need_post_id, m.score from matches m
         where s.kind = 'offer' and s.post_id is not null and m.offer_post_id = s.post_id and (m.need_post_id is null) = t.person
         order by m.score desc limit ${limit})
        union all
        (select m.need_user_id, m.need_post_id, m.score from matches m
         where s.kind = 'offer' and s.post_id is null and m.offer_user_id = s.user_id and m.offer_post_id is null
           and (m.need_post_id is null) = t.person
         order by m.score desc limit ${limit})
      ) best
    ) m`;
  return rows.map((row) => ({ side: row.side, partnerUserId: row.partner_user_id, partnerPostId: row.partner_post_id, score: row.score }));
}

/**
 * Removes these stored pairs, each pushed out of one side's best `kept` by newcomers, unless it is still among
 * the best `kept` of its other side (`side` says which side the pair overflowed; the other side is checked
 * for better matches with partners of the same type), as the full recompute would decide.
 */
export async function deleteOverflowingMatches(sql: Db, pairs: OverflowingPair[], kept: number): Promise<[string, string][]> {
  if (pairs.length === 0) return [];
  // A lateral lookup per pair (an index scan by owner), so the planner never hash-joins the whole table.
  const deleted = await sql<{ need_user_id: string; offer_user_id: string }[]>`
    with o as (
      select * from unnest(${pairs.map((pair) => pair.needUserId)}::bigint[], ${pairs.map((pair) => pair.needPostId)}::bigint[],
                           ${pairs.map((pair) => pair.offerUserId)}::bigint[], ${pairs.map((pair) => pair.offerPostId)}::bigint[],
                           ${pairs.map((pair) => pair.overflowed)}::text[])
             o (need_user_id, need_post_id, offer_user_id, offer_post_id, overflowed)
    ), doomed as (
      select m.row_id
      from o
      cross join lateral (
        select m.ctid as row_id, m.score from matches m
        where m.need_user_id = o.need_user_id and m.offer_user_id = o.offer_user_id
          and m.need_post_id is not distinct from o.need_post_id and m.offer_post_id is not distinct from o.offer_post_id
      ) m
      where (select count(*) from (
               select 1 from matches x
               where o.overflowed = 'need' and o.offer_post_id is not null and x.offer_post_id = o.offer_post_id
                 and (x.need_post_id is null) = (o.need_post_id is null) and x.score > m.score
               union all
               select 1 from matches x
               where o.overflowed = 'need' and o.offer_post_id is null and x.offer_user_id = o.offer_user_id and x.offer_post_id is null
                 and (x.need_post_id is null) = (o.need_post_id is null) and x.score > m.score
               union all
               select 1 from matches x
               where o.overflowed = 'offer' and o.need_post_id is not null and x.need_post_id = o.need_post_id
                 and (x.offer_post_id is null) = (o.offer_post_id is null) and x.score > m.score
               union all
               select 1 from matches x
               where o.overflowed = 'offer' and o.need_post_id is null and x.need_user_id = o.need_user_id and x.need_post_id is null
                 and (x.offer_post_id is null) = (o.offer_post_id is null) and x.score > m.score
             ) better) >= ${kept}
    )
    delete from matches m where m.ctid in (select row_id from doomed)
    returning m.need_user_id::text, m.offer_user_id::text`;
  return deleted.map((row): [string, string] => [row.need_user_id, row.offer_user_id]);
}

/** The open visible posts counted by the last full recompute, and per skill how many of them have it. */
export async function loadSkillCounts(sql: Db, skillIds: number[]) {
  const [state] = await sql<{ visible_posts: number }[]>`select visible_posts from matching_state where id = 1`;
  const known = await sql<{ skill_id: number; posts: number }[]>`
    select skill_id::float8 as skill_id, visible_posts as posts from matching_skill_counts where skill_id = any(${skillIds}::bigint[])`;
  const counts = new Map(known.map((row) => [row.skill_id, row.posts]));
  // Skills the last recompute did not see (and everything before the first one) are counted live.
  const missing = state ? skillIds.filter((skill) => !counts.has(skill)) : skillIds;
  if (missing.length) {
    const live = await sql<{ skill_id: number; posts: number }[]>`
      select w.skill_id::float8 as skill_id, count(p.id)::int as posts
      from unnest(${missing}::bigint[]) w (skill_id)
      left join post_skills ps on ps.skill_id = w.skill_id
      left join posts p on p.id = ps.post_id and ${visiblePost(sql, { author: null })}
      group by w.skill_id`;
    for (const row of live) counts.set(row.skill_id, row.posts);
  }
  const visiblePosts =
    state?.visible_posts ??
    (await sql<[{ n: number }]>`select count(*)::int as n from posts p join users u on u.id = p.author_id where ${visiblePost(sql)}`)[0].n;
  return { visiblePosts, counts };
}

/** One stored match as written. */
export type MatchWrite = {
  needUserId: string;
  needPostId: string | null;
  offerUserId: string;
  offerPostId: string | null;
  score: number;
  mutual: boolean;
  facts: StoredFacts;
};

function columns(rows: MatchWrite[]) {
  return {
    needUsers: rows.map((row) => row.needUserId),
    needPosts: rows.map((row) => row.needPostId),
    offerUsers: rows.map((row) => row.offerUserId),
    offerPosts: rows.map((row) => row.offerPostId),
    scores: rows.map((row) => row.score),
    // 1/0: postgres.js sends a JS array of booleans as a single boolean
    mutual: rows.map((row) => (row.mutual ? 1 : 0)),
    reasons: rows.map((row) => factsJson(row.facts)),
  };
}

/**
 * Full recompute: the stored pairs' first_seen_at (as text, keyed "need user:need post or 0:offer user:offer
 * post or 0"), so a pair found again keeps it, and the transaction's time for new ones.
 */
export async function loadFirstSeen(sql: Db) {
  const rows = await sql<{ key: string; first_seen_at: string }[]>`
    select need_user_id || ':' || coalesce(need_post_id, 0) || ':' || offer_user_id || ':' || coalesce(offer_post_id, 0) as key,
           first_seen_at::text as first_seen_at
    from matches`;
  const [{ now }] = await sql<[{ now: string }]>`select now()::text as now`;
  return { firstSeen: new Map(rows.map((row) => [row.key, row.first_seen_at])), now };
}

/** Full recompute: the table the new matches go into; same columns, defaults and checks, no indexes yet. */
export async function createNextMatches(sql: Db) {
  await createShadowTable(sql, "matches");
}

/** COPY text format for JSON: backslashes doubled (JSON has no raw tabs or newlines), \N for null. */
const copyJson = (json: string) => (json.includes("\\") ? json.replace(/\\/g, "\\\\") : json);

/** A side's three columns in a COPY line of matches_next (user id, post id, person id). */
export function copySideColumns(side: MatchSide) {
  return side.postId === null ? `${side.userId}\t\\N\t${side.userId}` : `${side.userId}\t${side.postId}\t\\N`;
}

/** One COPY line of matches_next (text format); the sides' columns come from copySideColumns. */
export function copyMatchLine(
  need: string,
  offer: string,
  score: number,
  mutual: boolean,
  facts: StoredFacts,
  firstSeenAt: string,
  now: string,
) {
  return `${need}\t${offer}\t${score}\t${mutual ? "t" : "f"}\t${copyJson(factsJson(facts))}\t${firstSeenAt}\t${now}\n`;
}

/**
 * Writes lines with COPY, the fastest way in. FREEZE (allowed because matches_next was created in this transaction,
 * and nobody else can see it before the commit): the rows are written as already visible to everyone, so the first
 * reads after the swap do not each have to set hint bits on, and dirty, every page of a million-row table.
 */
export async function copyNextMatches(sql: Db, lines: string[]) {
  if (lines.length === 0) return;
  const writable = await sql`
    copy matches_next (need_user_id, need_post_id, need_person_id, offer_user_id, offer_post_id, offer_person_id,
                       score, mutual, reasons, first_seen_at, updated_at) from stdin with (freeze)`.writable();
  await pipeline(Readable.from([lines.join("")]), writable);
}

/** The new matches take the old ones' place (indexes built now, then the tables swap; see lib/table-swap). */
export async function swapInNextMatches(sql: Db) {
  await swapInShadowTable(sql, "matches");
}

/** Full recompute: the counts later incremental updates base rarity weights on. */
export async function saveSkillCounts(sql: Db, visiblePosts: number, postsWithSkill: Map<number, number>) {
  await sql`
    insert into matching_state (id, visible_posts, recomputed_at) values (1, ${visiblePosts}, now())
    on conflict (id) do update set visible_posts = excluded.visible_posts, recomputed_at = excluded.recomputed_at`;
  await sql`delete from matching_skill_counts`;
  await sql`
    insert into matching_skill_counts (skill_id, visible_posts)
    select c.skill_id, c.posts from unnest(${[...postsWithSkill.keys()]}::bigint[], ${[...postsWithSkill.values()]}::int[]) c (skill_id, posts)
    where exists (select 1 from skills s where s.id = c.skill_id)`;
}

/**
 * Incremental update: stores the kept pairs and removes the stored matches of the changed sides (and of the
 * touched posts and people that have no visible side any more) that are not kept.
 */
export async function mergeChangedMatches(sql: Db, kept: MatchWrite[], touched: { postIds: string[]; userIds: string[] }) {
  const c = columns(kept);
  await sql`
    insert into matches (need_user_id, need_post_id, need_person_id, offer_user_id, offer_post_id, offer_person_id, score, reasons)
    select n.need_user_id, n.need_post_id, case when n.need_post_id is null then n.need_user_id end,
           n.offer_user_id, n.offer_post_id, case when n.offer_post_id is null then n.offer_user_id end, n.score, n.reasons::jsonb
    from unnest(${c.needUsers}::bigint[], ${c.needPosts}::bigint[], ${c.offerUsers}::bigint[], ${c.offerPosts}::bigint[],
                ${c.scores}::real[], ${c.reasons}::text[]) n (need_user_id, need_post_id, offer_user_id, offer_post_id, score, reasons)
    on conflict on constraint matches_pair do update
      set score = excluded.score, reasons = excluded.reasons, updated_at = now()`;
  const removed = await sql<{ need_user_id: string; offer_user_id: string }[]>`
    delete from matches m
    where (m.need_post_id = any(${touched.postIds}::bigint[]) or m.offer_post_id = any(${touched.postIds}::bigint[])
           or (m.need_post_id is null and m.need_user_id = any(${touched.userIds}::bigint[]))
           or (m.offer_post_id is null and m.offer_user_id = any(${touched.userIds}::bigint[])))
      and not exists (
        select 1 from unnest(${c.needUsers}::bigint[], ${c.needPosts}::bigint[], ${c.offerUsers}::bigint[], ${c.offerPosts}::bigint[])
          k (need_user_id, need_post_id, offer_user_id, offer_post_id)
        where k.need_user_id = m.need_user_id and k.need_post_id is not distinct from m.need_post_id
          and k.offer_user_id = m.offer_user_id and k.offer_post_id is not distinct from m.offer_post_id)
    returning m.need_user_id::text, m.offer_user_id::text`;
  return removed.map((row): [string, string] => [row.need_user_id, row.offer_user_id]);
}

/** Mutual flags of the matches between these (need owner, offer owner) pairs: the reverse pair has a match too. */
export async function refreshMutualFlags(sql: Db, ownerPairs: [string, string][]) {
  if (ownerPairs.length === 0) return;
  await sql`
    update matches m set mutual = not m.mutual
    from unnest(${ownerPairs.map(([need]) => need)}::bigint[], ${ownerPairs.map(([, offer]) => offer)}::bigint[]) p (need_user_id, offer_user_id)
    where m.need_user_id = p.need_user_id and m.offer_user_id = p.offer_user_id
      and m.mutual <> exists (select 1 from matches x where x.need_user_id = m.offer_user_id and x.offer_user_id = m.need_user_id)`;
}

/** Every post of these authors, visible or not (their matches may need removing). */
export async function postIdsOfAuthors(sql: Db, authorIds: string[]) {
  if (authorIds.length === 0) return [];
  const rows = await sql<{ id: string }[]>`select id::text from posts where author_id = any(${authorIds}::bigint[])`;
  return rows.map((row) => row.id);
}

/* ---------- reading ---------- */

export type StoredReasons = {
  shared: (number | string)[];
  /** [need skill, offered related skill]; a bare id in matches stored before the explicit relation */
  near: (number | string | [number | string, number | string])[];
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
  need_role: string | null;
  offer_role: string | null;
  /** the post's Ortsteil, or the person's for a profile side */
  need_district: string | null;
  offer_district: string | null;
  need_created_at: Date | null;
  offer_created_at: Date | null;
};

/**
 * One side of a match as n or o, only while it is readable: its person not banned, and its post open, not hidden,
 * not expired, or (a person side) the person with a profile. Three primary-key look-ups in a lateral subquery that
 * `offset 0` keeps apart: written as six joins of the match, the planner weighed every join order of seven tables
 * on each post page (3.6 ms of planning for a query that runs in 0.05 ms); this way it plans each side on its own
 * (0.3 ms in all) and runs the same look-ups.
 */
const readableSide = (sql: Db, side: "need" | "offer") => {
  const user = sql`m.${sql(`${side}_user_id`)}`;
  const post = sql`m.${sql(`${side}_post_id`)}`;
  return sql`
    cross join lateral (
      select p.title, pr.display_name as name, pr.role, p.created_at,
             case when ${post} is null then pr.district else p.district end as district
      from users u left join posts p on p.id = ${post} left join profiles pr on pr.user_id = u.id
      where u.id = ${user} and u.banned_at is null
        and (${post} is null and pr.user_id is not null or ${visiblePost(sql, { post: "p", author: "u" })})
      offset 0
    ) ${sql(side === "need" ? "n" : "o")}`;
};

/** Both sides still readable (readableSide, as n and o); the matches stay m. */
const readableSides = (sql: Db) => sql`${readableSide(sql, "need")} ${readableSide(sql, "offer")}`;

/** Neither person has blocked the other. */
const notBlocked = (sql: Db) => sql`
  not exists (
    select 1 from blocks b
    where (b.blocker_id = m.need_user_id and b.blocked_id = m.offer_user_id)
       or (b.blocker_id = m.offer_user_id and b.blocked_id = m.need_user_id))`;

const matchColumns = (sql: Db) => sql`
  m.need_user_id, m.need_post_id, m.offer_user_id, m.offer_post_id, m.score, m.mutual, m.reasons,
  m.first_seen_at, m.updated_at, n.title as need_title, o.title as offer_title,
  n.name as need_name, o.name as offer_name, n.role as need_role, o.role as offer_role,
  n.district as need_district, o.district as offer_district,
  n.created_at as need_created_at, o.created_at as offer_created_at`;

/** Matches where one side is the user's (a post or their profile), mutual first, best first. */
export async function listMatchesOfUser(sql: Db, userId: string, options: { since?: Date | null; limit: number }) {
  const since = options.since ? sql`and m.first_seen_at > ${options.since}` : sql``;
  return sql<MatchRow[]>`
    select ${matchColumns(sql)}
    from matches m ${readableSides(sql)}
    where (m.need_user_id = ${userId} or m.offer_user_id = ${userId}) ${since} and ${notBlocked(sql)}
    order by m.score desc, m.need_post_id, m.offer_post_id, m.need_user_id, m.offer_user_id
    limit ${options.limit}`;
}

/** How many counterparts (other people) the user's readable matches have. */
export async function countMatchesOfUser(sql: Db, userId: string, since: Date | null) {
  const sinceFilter = since ? sql`and m.first_seen_at > ${since}` : sql``;
  const [row] = await sql<[{ count: number }]>`
    select count(distinct case when m.need_user_id = ${userId} then m.offer_user_id else m.need_user_id end)::int as count
    from matches m ${readableSides(sql)}
    where (m.need_user_id = ${userId} or m.offer_user_id = ${userId}) ${sinceFilter} and ${notBlocked(sql)}`;
  return row.count;
}

/** Every match of one post with the other kind: posts and people (person sides), best first. */
export async function listAllMatchesOfPost(sql: Db, postId: string, limit: number) {
  return sql<MatchRow[]>`
    select ${matchColumns(sql)}
    from matches m ${readableSides(sql)}
    where (m.need_post_id = ${postId} or m.offer_post_id = ${postId}) and ${notBlocked(sql)}
    order by m.score desc, m.need_post_id, m.offer_post_id, m.need_user_id, m.offer_user_id
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
