/**
 * Matching: keeps the matches table current (incrementally from the outbox, or all at once) and reads it for
 * pages and the digest. The rules are in scoring.ts, the SQL in queries.server.ts.
 */
import { db, type Db } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";
import type { Role } from "~/lib/reference";
import { processOutbox, type OutboxEvent } from "~/modules/outbox/outbox.server";
import * as queries from "./queries.server";
import { describeReason } from "./reasons";
import { compareMatches, type MatchReason, type SkillFact } from "./scoring";

export type { MatchReason, ReasonFacts, SkillFact } from "./scoring";
export type MatchGroup = "needs_for_you" | "offers_for_your_needs" | "people";

export type UserMatch = {
  /** needs that fit my offers or profile, offers for my needs, or people */
  group: MatchGroup;
  /** my side: one of my posts, or my profile */
  mine: { postId: string | null; title: string | null; side: "need" | "offer" };
  /** the other side: a post or a person, with where to find it */
  other: { kind: "post" | "person"; id: string; title: string; path: string; side: "need" | "offer" };
  score: number;
  mutual: boolean;
  firstSeenAt: Date;
  reason: MatchReason;
};

const isId = (value: string) => /^\d{1,18}$/.test(value);

/* ---------- keeping matches current ---------- */

/**
 * Recomputes the matches of these posts and people (their profiles and all their posts) against everything
 * they can meet. Runs inside the caller's transaction (the outbox worker's).
 */
export async function updateMatchesFor(tx: Db, change: { postIds: string[]; userIds: string[] }) {
  const postIds = [...new Set(change.postIds)].filter(isId);
  const userIds = [...new Set(change.userIds)].filter(isId);
  if (postIds.length === 0 && userIds.length === 0) return;
  await queries.lockMatching(tx);
  await queries.avoidJit(tx);
  await queries.dropWorkTables(tx);
  await queries.createWorkTables(tx);
  await queries.insertChangedSides(tx, postIds, userIds);
  await queries.insertKeys(tx);
  await queries.insertPickedSides(tx);
  await queries.insertKeys(tx);
  await queries.rankKeysByPicks(tx);
  await queries.insertCandidates(tx, true);
  await queries.insertHits(tx, true);
  await queries.insertIdfForHits(tx);
  await queries.insertScoredPairs(tx);
  await queries.insertKeptPairs(tx, true);
  await queries.insertKeptReasons(tx);
  await queries.mergeChangedMatches(tx, postIds, userIds);
  await queries.dropWorkTables(tx);
}

/**
 * The outbox `apply` for topic "match". Post and person events recompute those; a deleted entity leaves no
 * visible side, so its matches are removed (the foreign keys cascade anyway). Skill events need nothing:
 * labels are looked up when matches are read, and a skill merge sends events for the posts and people it moves.
 */
export async function applyMatchEvents(events: OutboxEvent[], tx: Db) {
  await updateMatchesFor(tx, {
    postIds: events.filter((event) => event.entity === "post").map((event) => event.entity_id),
    userIds: events.filter((event) => event.entity === "person").map((event) => event.entity_id),
  });
}

/** One worker round: the next batch of match events. */
export function processMatchOutbox(limit = 100) {
  return processOutbox("match", applyMatchEvents, { limit });
}

export const RECOMPUTE_STEPS = ["sides", "keys", "weights", "candidates", "scores", "selection", "write"] as const;
export type RecomputeStep = (typeof RECOMPUTE_STEPS)[number];

export type RecomputeResult = {
  sides: number;
  keys: number;
  hits: number;
  pairs: number;
  matches: number;
  visiblePosts: number;
};

/**
 * Rebuilds every match from scratch in one transaction with a few set-based statements (readers keep seeing
 * the old matches until it commits). onProgress is called after each step.
 */
export async function recomputeAllMatches(onProgress?: (done: number, step: RecomputeStep) => void): Promise<RecomputeResult> {
  return db().begin(async (tx) => {
    const progress = (step: RecomputeStep) => onProgress?.(RECOMPUTE_STEPS.indexOf(step) + 1, step);
    await queries.lockMatching(tx);
    await queries.allowLargeSorts(tx);
    await queries.dropWorkTables(tx);
    await queries.createWorkTables(tx);
    await queries.insertAllSides(tx);
    progress("sides");
    await queries.insertKeys(tx);
    await queries.analyzeWorkTables(tx);
    progress("keys");
    const visiblePosts = await queries.insertIdfFromSides(tx);
    progress("weights");
    await queries.rankKeysByRecency(tx);
    await queries.insertCandidates(tx, false);
    await queries.insertHits(tx, false);
    progress("candidates");
    await queries.insertScoredPairs(tx);
    progress("scores");
    await queries.insertKeptPairs(tx, false);
    await queries.insertKeptReasons(tx);
    progress("selection");
    const work = await queries.countWork(tx);
    const matches = await queries.replaceAllMatches(tx, visiblePosts);
    await queries.dropWorkTables(tx);
    progress("write");
    return { sides: work.sides, keys: work.keys, hits: work.hits, pairs: work.pairs, matches, visiblePosts };
  });
}

/* ---------- reading ---------- */

function groupOf(row: queries.MatchRow, userId: string): MatchGroup {
  const otherPostId = row.need_user_id === userId ? row.offer_post_id : row.need_post_id;
  if (!otherPostId) return "people";
  return row.need_user_id === userId ? "offers_for_your_needs" : "needs_for_you";
}

async function withSkillLabels(rows: queries.MatchRow[]) {
  const ids = [...new Set(rows.flatMap((row) => [...row.reasons.shared, ...row.reasons.near].map(String)))];
  const skills = new Map((await queries.skillsByIds(db(), ids)).map((skill) => [String(skill.id), { ...skill, id: String(skill.id) }]));
  const resolve = (list: (number | string)[]) => list.map((id) => skills.get(String(id))).filter((skill): skill is SkillFact => Boolean(skill));
  return (row: queries.MatchRow): MatchReason => ({
    shared: resolve(row.reasons.shared ?? []),
    near: resolve(row.reasons.near ?? []),
    place: row.reasons.place ?? null,
    district: row.reasons.district ?? null,
    borough: row.reasons.borough ?? null,
    roles: (row.reasons.roles as [Role, Role] | null) ?? null,
    exchange: row.reasons.exchange ?? null,
  });
}

async function toUserMatches(rows: queries.MatchRow[], userId: string): Promise<UserMatch[]> {
  const reasonOf = await withSkillLabels(rows);
  return rows.map((row) => {
    const iAmNeed = row.need_user_id === userId;
    const otherPostId = iAmNeed ? row.offer_post_id : row.need_post_id;
    const otherUserId = iAmNeed ? row.offer_user_id : row.need_user_id;
    const otherTitle = (iAmNeed ? (row.offer_post_id ? row.offer_title : row.offer_name) : row.need_post_id ? row.need_title : row.need_name) ?? "";
    return {
      group: groupOf(row, userId),
      mine: {
        postId: iAmNeed ? row.need_post_id : row.offer_post_id,
        title: iAmNeed ? row.need_title : row.offer_title,
        side: iAmNeed ? "need" : "offer",
      },
      other: otherPostId
        ? { kind: "post", id: otherPostId, title: otherTitle, path: `/posts/${otherPostId}`, side: iAmNeed ? "offer" : "need" }
        : { kind: "person", id: otherUserId, title: otherTitle, path: `/people/${otherUserId}`, side: iAmNeed ? "offer" : "need" },
      score: row.score,
      mutual: row.mutual,
      firstSeenAt: row.first_seen_at,
      reason: reasonOf(row),
    };
  });
}

/**
 * For the digest: a person's matches first seen after `since` (all when null) that involve their visible
 * posts or their profile, mutual first, best first.
 */
export async function newMatchesForUser(userId: string, since: Date | null, limit: number): Promise<UserMatch[]> {
  if (!isId(userId)) return [];
  const rows = await queries.listMatchesOfUser(db(), userId, { since, limit });
  return toUserMatches(rows, userId);
}

export async function countNewMatchesForUser(userId: string, since: Date | null): Promise<number> {
  if (!isId(userId)) return 0;
  return queries.countMatchesOfUser(db(), userId, since);
}

export type MatchListItem = UserMatch & { reasonText: string; isNew: boolean };

/** For "Meine Matches": everything, grouped like the digest, with the reason rendered and new ones marked. */
export async function matchesForUser(userId: string, locale: Locale, limit = 300) {
  // undefined: no profile yet (then nothing can be marked as seen and everything counts as new)
  const seen = await queries.findMatchesSeenAt(db(), userId);
  const seenAt = seen ?? null;
  const matches = (await newMatchesForUser(userId, null, limit)).sort(compareMatches);
  const items: MatchListItem[] = matches.map((match) => ({
    ...match,
    reasonText: describeReason(match.reason, locale),
    isNew: !seenAt || match.firstSeenAt > seenAt,
  }));
  return {
    hasProfile: seen !== undefined,
    seenAt,
    newCount: items.filter((item) => item.isNew).length,
    groups: {
      needs_for_you: items.filter((item) => item.group === "needs_for_you"),
      offers_for_your_needs: items.filter((item) => item.group === "offers_for_your_needs"),
      people: items.filter((item) => item.group === "people"),
    } satisfies Record<MatchGroup, MatchListItem[]>,
  };
}

/** "Alle als gesehen markieren": later matches count as new. False when the person has no profile yet. */
export async function markMatchesSeen(userId: string) {
  return queries.setMatchesSeenAt(db(), userId);
}

export type PostMatch = {
  post: { id: string; title: string; kind: "need" | "offer"; authorId: string; authorName: string | null };
  score: number;
  mutual: boolean;
  reason: MatchReason;
  reasonText: string;
};

/** For a post page: the best fitting offers for a need, or needs for an offer. */
export async function bestMatchesForPost(postId: string, locale: Locale, limit = 5): Promise<PostMatch[]> {
  if (!isId(postId)) return [];
  const rows = await queries.listPostMatchesOfPost(db(), postId, limit);
  const reasonOf = await withSkillLabels(rows);
  return rows.map((row) => {
    const otherIsOffer = row.need_post_id === postId;
    const reason = reasonOf(row);
    return {
      post: {
        id: (otherIsOffer ? row.offer_post_id : row.need_post_id) as string,
        title: (otherIsOffer ? row.offer_title : row.need_title) ?? "",
        kind: otherIsOffer ? "offer" : "need",
        authorId: otherIsOffer ? row.offer_user_id : row.need_user_id,
        authorName: otherIsOffer ? row.offer_name : row.need_name,
      },
      score: row.score,
      mutual: row.mutual,
      reason,
      reasonText: describeReason(reason, locale),
    };
  });
}
