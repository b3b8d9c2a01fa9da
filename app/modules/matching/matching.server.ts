/**
 * Matching: keeps the matches table current (incrementally from the outbox, or all at once) and reads it for
 * pages and the digest. The rules are in scoring.ts, the computation in engine.ts, the SQL in queries.server.ts.
 */
import { db, type Db } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";
import type { Role } from "~/lib/reference";
import { completeWaitingEvents, isWaiting, processOutbox, type OutboxEvent } from "~/modules/outbox/outbox.server";
import { coversOfPosts, portraitsOf } from "~/modules/images/images.server";
import type { ImageView } from "~/modules/images/types";
import * as queries from "./queries.server";
import { describeReason } from "./reasons";
import type { MATCH_FILTER_KINDS } from "./schema";
import { relatedSkills } from "~/modules/skills/queries.server";
import {
  computeAllMatches,
  countSkillsOfPosts,
  createScorer,
  type MatchSide,
  type MatchTaxonomy,
  type RelatedSkills,
  type StoredFacts,
} from "./engine";
import {
  CANDIDATES_PER_GROUP,
  CANDIDATES_PER_SKILL,
  MATCHES_KEPT_PER_SIDE,
  STRONG_RELATION,
  compareMatches,
  inverseDocumentFrequency,
  type MatchReason,
  type SkillFact,
} from "./scoring";
import { isId } from "~/lib/ids";
import { chooseKeptPairs, otherKind, scoreChangedPairs, sideKey, unchangedSidesMet, type SideKey } from "./incremental";

export type { MatchReason, ReasonFacts, SkillFact } from "./scoring";
export type MatchGroup = "needs_for_you" | "offers_for_your_needs" | "people";

/* ---------- keeping matches current ---------- */

type Relations = { bySkill: Map<number, RelatedSkills>; loadedAt: number };
let relationsMemo: Relations | undefined;
/** The skill relation changes only when the seed is loaded (a deploy); incremental updates reuse it a while. */
const RELATIONS_MAX_AGE_MS = 10 * 60_000;

/** The explicit skill relation (skills module), closest first per skill, equal weights by id. */
async function skillRelations(tx: Db, reload = false): Promise<Relations> {
  if (!reload && relationsMemo && Date.now() - relationsMemo.loadedAt < RELATIONS_MAX_AGE_MS) return relationsMemo;
  const lists = new Map<number, { skill: number; weight: number }[]>();
  for (const row of await relatedSkills(tx, "all")) {
    const skill = Number(row.skill_id);
    (lists.get(skill) ?? lists.set(skill, []).get(skill)!).push({ skill: Number(row.id), weight: row.weight });
  }
  const bySkill = new Map<number, RelatedSkills>();
  for (const [skill, list] of lists) {
    list.sort((a, b) => b.weight - a.weight || a.skill - b.skill);
    bySkill.set(skill, { skills: list.map((entry) => entry.skill), weights: list.map((entry) => entry.weight) });
  }
  relationsMemo = { bySkill, loadedAt: Date.now() };
  return relationsMemo;
}

const NO_RELATED: RelatedSkills = { skills: [], weights: [] };

function taxonomyOf(relations: Relations, visiblePosts: number, postsWithSkill: Map<number, number>): MatchTaxonomy {
  const idf = new Map<number, number>();
  return {
    idf: (skill) => {
      let weight = idf.get(skill);
      if (weight === undefined) idf.set(skill, (weight = inverseDocumentFrequency(visiblePosts, postsWithSkill.get(skill) ?? 0)));
      return weight;
    },
    related: (skill) => relations.bySkill.get(skill) ?? NO_RELATED,
  };
}

/** The skills strongly related to a skill (a fit on their own), as the engine's relation keys use them. */
function strongRelated(relations: Relations, skill: number) {
  const related = relations.bySkill.get(skill) ?? NO_RELATED;
  // skills and weights are parallel arrays
  return related.skills.filter((_, index) => related.weights[index]! >= STRONG_RELATION);
}

function toWrite(need: MatchSide, offer: MatchSide, score: number, mutual: boolean, facts: StoredFacts): queries.MatchWrite {
  return { needUserId: need.userId, needPostId: need.postId, offerUserId: offer.userId, offerPostId: offer.postId, score, mutual, facts };
}

/**
 * Recomputes the matches of these posts and people (their profiles and all their posts) against the sides
 * they can meet: per skill and small group of theirs the newest sides of the other kind (as the full
 * recompute ranks them), plus their current partners. Runs inside the caller's transaction (the outbox worker's).
 */
/**
 * Where an incremental update spends its time, per statement, for `npm run bench:match` (off otherwise: one branch
 * per statement). Compute between the statements is not counted.
 */
export const incrementalProfile = { enabled: false, steps: new Map<string, number[]>() };

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (!incrementalProfile.enabled) return run();
  const started = performance.now();
  try {
    return await run();
  } finally {
    const list = incrementalProfile.steps.get(name) ?? [];
    list.push(performance.now() - started);
    incrementalProfile.steps.set(name, list);
  }
}

export async function updateMatchesFor(tx: Db, change: { postIds: string[]; userIds: string[] }) {
  const postIds = [...new Set(change.postIds)].filter(isId);
  const userIds = [...new Set(change.userIds)].filter(isId);
  if (postIds.length === 0 && userIds.length === 0) return;
  await step("lock", () => queries.lockMatching(tx, { genericPlans: true }));
  const relations = await step("relations", () => skillRelations(tx));
  // Statements that do not need each other's answers are sent together (Promise.all): on the transaction's one
  // connection they still run one after the other, but without a round trip each.
  const changed = await step("load changed sides", async () =>
    (
      await Promise.all([
        queries.loadPostSides(tx, { postIds, authorIds: userIds }),
        userIds.length ? queries.loadPersonSides(tx, { users: userIds, kinds: userIds.map(() => "both" as const) }) : [],
      ])
    ).flat(),
  );

  // What the changed sides can meet: the newest sides on each of their keys, and their current partners.
  const wanted = new Map<string, { kind: "need" | "offer"; key: number; skills: number[]; cap: number }>();
  for (const side of changed) {
    const kind = side.kind === "need" ? "offer" : "need";
    for (const skill of side.skills) {
      wanted.set(`${kind}${skill}`, { kind, key: skill, skills: [skill], cap: CANDIDATES_PER_SKILL });
      // the engine's relation keys: a need meets offers with a skill strongly related to its own on "related to
      // its skill"; an offer meets the needs with a skill its own is strongly related to, on "related to theirs"
      const related = strongRelated(relations, skill);
      if (related.length === 0) continue;
      if (side.kind === "need") wanted.set(`${kind}r${skill}`, { kind, key: -1 - skill, skills: related, cap: CANDIDATES_PER_GROUP });
      else
        for (const other of related) wanted.set(`${kind}r${other}`, { kind, key: -1 - other, skills: [other], cap: CANDIDATES_PER_GROUP });
    }
  }
  const changedById = new Map(changed.map((side) => [sideKey(side), side]));
  const [picked, postsOfAuthors, partnerEntries] = await step("newest sides, posts of authors, partners", () =>
    Promise.all([
      queries.pickNewestSides(tx, [...wanted.values()]),
      queries.postIdsOfAuthors(tx, userIds),
      // all of them: a pair below a changed side's best may be kept by its other side
      queries.storedLists(tx, changed, null),
    ]),
  );
  // Everything this update recomputes, visible or not any more: their stored matches are replaced.
  const touchedPostIds = [...new Set([...postIds, ...postsOfAuthors])];
  const changedIds = new Set<SideKey>([
    ...changedById.keys(),
    ...touchedPostIds.map((id): SideKey => `p${id}`),
    ...userIds.flatMap((id): SideKey[] => [`need${id}`, `offer${id}`]),
  ]);
  const partners = partnerEntries.map((entry) => ({
    postId: entry.partnerPostId,
    userId: entry.partnerUserId,
    kind: otherKind(changedById.get(entry.side)?.kind ?? "offer"),
  }));
  const otherPostIds = [...new Set([...picked.postIds, ...partners.flatMap((partner) => (partner.postId ? [partner.postId] : []))])].filter(
    (id) => !changedIds.has(`p${id}`),
  );
  const otherPeople = new Map(
    [...picked.people, ...partners.filter((partner) => !partner.postId)]
      .filter((person) => !changedIds.has(`${person.kind}${person.userId}`))
      .map((person) => [`${person.kind}${person.userId}`, person]),
  );
  const changedOwners = [...new Set(changed.map((side) => side.userId))];
  const [otherPostSides, otherPersonSides, blocks] = await step("other sides, blocks", () =>
    Promise.all([
      otherPostIds.length ? queries.loadPostSides(tx, { postIds: otherPostIds, authorIds: [] }) : [],
      otherPeople.size
        ? queries.loadPersonSides(tx, {
            users: [...otherPeople.values()].map((person) => person.userId),
            kinds: [...otherPeople.values()].map((person) => person.kind),
          })
        : [],
      queries.loadBlocks(tx, changedOwners),
    ]),
  );
  const others = [...otherPostSides, ...otherPersonSides];
  const blocked = new Set(blocks.flatMap(([a, b]) => [`${a}:${b}`, `${b}:${a}`]));

  const skills = [...new Set([...changed, ...others].flatMap((side) => side.skills))];
  const { visiblePosts, counts } = await step("skill counts", () => queries.loadSkillCounts(tx, skills));
  const scorer = createScorer([...changed, ...others], taxonomyOf(relations, visiblePosts, counts));

  const scored = scoreChangedPairs(
    changed,
    others,
    (need, offer) => scorer.score(need, offer),
    (needUser, offerUser) => blocked.has(`${needUser}:${offerUser}`),
  );
  // The unchanged sides met, with the best few of their stored lists; a few more stand in for entries of changed
  // sides, which this update replaces.
  const met = unchangedSidesMet(scored, changedIds);
  const stored = await step("stored lists", () => queries.storedLists(tx, met, MATCHES_KEPT_PER_SIDE + changedIds.size));
  const { kept: keptPairs, overflowing } = chooseKeptPairs({ scored, changed: changedIds, stored, keptPerSide: MATCHES_KEPT_PER_SIDE });

  const kept = keptPairs.map((pair) => toWrite(pair.need, pair.offer, pair.score, false, scorer.facts(pair.need, pair.offer)));
  const removed = await step("merge", () => queries.mergeChangedMatches(tx, kept, { postIds: touchedPostIds, userIds }));
  const trimmed = await step("trim", () => queries.deleteOverflowingMatches(tx, overflowing, MATCHES_KEPT_PER_SIDE));
  // Mutual flags can change only between owners a pair was written or removed for, in either direction.
  const ownerPairs = new Map<string, [string, string]>();
  for (const [a, b] of [...kept.map((row): [string, string] => [row.needUserId, row.offerUserId]), ...removed, ...trimmed]) {
    ownerPairs.set(`${a}:${b}`, [a, b]);
    ownerPairs.set(`${b}:${a}`, [b, a]);
  }
  await step("mutual flags", () => queries.refreshMutualFlags(tx, [...ownerPairs.values()]));
}

/** How long a publishing request may spend on its post's matches (lock wait and each statement). */
export const MATCH_NOW_BUDGET_MS = 1000;

/**
 * A just-published post's matches, computed in the publishing request so its page shows them at once: the same
 * incremental update the worker runs, in a transaction of its own right after the post's, which also removes the
 * post's waiting match event. When it fails or does not fit the budget (waiting for the matching lock or a slow
 * statement), nothing is written and the event stays for the worker; the page then says matches are being
 * computed. `update` is replaceable for tests.
 */
export async function matchPostNow(
  postId: string,
  options: { budgetMs?: number; update?: typeof updateMatchesFor } = {},
): Promise<"done" | "deferred"> {
  if (!isId(postId)) return "deferred";
  const budget = Math.max(1, Math.round(options.budgetMs ?? MATCH_NOW_BUDGET_MS));
  const update = options.update ?? updateMatchesFor;
  try {
    await db().begin(async (tx) => {
      await queries.limitStatementTime(tx, budget);
      await update(tx, { postIds: [postId], userIds: [] });
      await completeWaitingEvents(tx, "match", "post", [postId]);
    });
    return "done";
  } catch (error) {
    console.warn(`matches of post ${postId} left to the worker: ${error instanceof Error ? error.message : String(error)}`);
    return "deferred";
  }
}

/** True while the worker has still to compute this post's matches. */
export const matchesPendingForPost = (postId: string) => isWaiting("match", "post", postId);

/**
 * The outbox `apply` for topic "match". Post and person events recompute those; a deleted entity leaves no
 * visible side, so its matches are removed (a trigger removes them with the row anyway). Skill events need
 * nothing: labels are looked up when matches are read, and a skill merge sends events for the posts and
 * people it moves.
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

export const RECOMPUTE_STEPS = ["sides", "weights", "matching", "write"] as const;
export type RecomputeStep = (typeof RECOMPUTE_STEPS)[number];
export type RecomputeProgress = { step: RecomputeStep; done: number; total: number };

export type RecomputeResult = {
  sides: number;
  keys: number;
  pairs: number;
  matches: number;
  visiblePosts: number;
};

/** Rows per COPY of the full recompute. */
const WRITE_BATCH = 20_000;

/**
 * Rebuilds every match from scratch in one transaction: reads every visible side once, computes in memory
 * (engine.ts), writes the result with COPY in batches into a new table that then replaces the stored matches;
 * readers keep seeing the old
 * matches until it commits. onProgress is called after each step and each written batch.
 */
export async function recomputeAllMatches(onProgress?: (progress: RecomputeProgress) => void): Promise<RecomputeResult> {
  return db().begin(async (tx) => {
    await queries.lockMatching(tx);
    const sides = [...(await queries.loadPostSides(tx, { all: true })), ...(await queries.loadPersonSides(tx, { all: true }))];
    const { firstSeen, now } = await queries.loadFirstSeen(tx);
    onProgress?.({ step: "sides", done: 1, total: 1 });
    const relations = await skillRelations(tx, true);
    const { posts: visiblePosts, postsWithSkill } = countSkillsOfPosts(sides);
    const blocks = await queries.loadBlocks(tx);
    onProgress?.({ step: "weights", done: 1, total: 1 });
    const kept = computeAllMatches(sides, taxonomyOf(relations, visiblePosts, postsWithSkill), blocks);
    onProgress?.({ step: "matching", done: 1, total: 1 });
    await queries.createNextMatches(tx);
    const firstSeenAt = (i: number) => {
      if (firstSeen.size === 0) return now;
      // kept holds indexes of sides, and i < kept.count
      const need = sides[kept.need[i]!]!;
      const offer = sides[kept.offer[i]!]!;
      return firstSeen.get(`${need.userId}:${need.postId ?? 0}:${offer.userId}:${offer.postId ?? 0}`) ?? now;
    };
    const columns = sides.map(queries.copySideColumns);
    for (let start = 0; start < kept.count; start += WRITE_BATCH) {
      const end = Math.min(kept.count, start + WRITE_BATCH);
      const lines: string[] = [];
      for (let i = start; i < end; i++) {
        lines.push(
          queries.copyMatchLine(
            columns[kept.need[i]!]!,
            columns[kept.offer[i]!]!,
            kept.score[i]!,
            kept.mutual[i] === 1,
            kept.factsOf(i),
            firstSeenAt(i),
            now,
          ),
        );
      }
      await queries.copyNextMatches(tx, lines);
      // the last tenth is indexing and swapping in the new table
      onProgress?.({ step: "write", done: Math.floor((end * 9) / 10), total: kept.count });
    }
    await queries.saveSkillCounts(tx, visiblePosts, postsWithSkill);
    await queries.swapInNextMatches(tx);
    onProgress?.({ step: "write", done: kept.count, total: kept.count });
    return { sides: sides.length, keys: kept.keys, pairs: kept.pairsScored, matches: kept.count, visiblePosts };
  });
}

/* ---------- reading ---------- */

/** One way a counterpart fits: one of their posts, or their profile. */
export type MatchWay = { kind: "post" | "person"; id: string; title: string; path: string };

export type UserMatch = {
  /** needs that fit my offers or profile, offers for my needs, or people */
  group: MatchGroup;
  /** my side: one of my posts, or my profile */
  mine: { postId: string | null; title: string | null; side: "need" | "offer" };
  /** the other side: a post or a person, with where to find it, who it is and when it was posted */
  other: {
    kind: "post" | "person";
    id: string;
    title: string;
    path: string;
    side: "need" | "offer";
    userId: string;
    authorName: string | null;
    role: Role | null;
    district: string | null;
    postedAt: Date | null;
  };
  /** the counterpart's other ways to fit the same side of mine (their other posts, their profile), best first */
  alsoVia: MatchWay[];
  score: number;
  mutual: boolean;
  firstSeenAt: Date;
  reason: MatchReason;
};

const padded = (id: string) => id.padStart(19, "0");
/** The deterministic tie-breaker of compareMatches: the other side (post before person, then by id). */
const otherKey = (match: Pick<UserMatch, "other">) => `${match.other.kind === "post" ? "p" : "u"}${padded(match.other.id)}`;
const byOrder = (a: UserMatch, b: UserMatch) => compareMatches({ score: a.score, key: otherKey(a) }, { score: b.score, key: otherKey(b) });

function groupOf(row: queries.MatchRow, userId: string): MatchGroup {
  const otherPostId = row.need_user_id === userId ? row.offer_post_id : row.need_post_id;
  if (!otherPostId) return "people";
  return row.need_user_id === userId ? "offers_for_your_needs" : "needs_for_you";
}

const asId = (value: number | string) => String(value);

async function withSkillLabels(rows: queries.MatchRow[]) {
  const ids = new Set<string>();
  for (const row of rows) {
    for (const id of row.reasons.shared ?? []) ids.add(asId(id));
    for (const entry of row.reasons.near ?? []) for (const id of Array.isArray(entry) ? entry : [entry]) ids.add(asId(id));
  }
  const skills = new Map(
    (await queries.skillsByIds(db(), [...ids])).map((skill) => [String(skill.id), { ...skill, id: String(skill.id) }]),
  );
  const resolve = (list: (number | string)[]) =>
    list.map((id) => skills.get(asId(id))).filter((skill): skill is SkillFact => Boolean(skill));
  return (row: queries.MatchRow): MatchReason => ({
    shared: resolve(row.reasons.shared ?? []),
    near: (row.reasons.near ?? []).flatMap((entry) => {
      const [need, offer] = Array.isArray(entry) ? entry : [entry, null];
      const needSkill = skills.get(asId(need));
      if (!needSkill) return [];
      return [{ need: needSkill, offer: offer === null ? null : (skills.get(asId(offer)) ?? null) }];
    }),
    place: row.reasons.place ?? null,
    district: row.reasons.district ?? null,
    borough: row.reasons.borough ?? null,
    roles: (row.reasons.roles as [Role, Role] | null) ?? null,
    exchange: row.reasons.exchange ?? null,
  });
}

/** Matches seen from one side: `mineOf(row)` says which side is the reader's (the user's, or the post's). */
async function toUserMatches(
  rows: queries.MatchRow[],
  iAmNeed: (row: queries.MatchRow) => boolean,
  userId: string | null,
): Promise<UserMatch[]> {
  const reasonOf = await withSkillLabels(rows);
  return rows.map((row) => {
    const need = iAmNeed(row);
    const otherPostId = need ? row.offer_post_id : row.need_post_id;
    const otherUserId = need ? row.offer_user_id : row.need_user_id;
    const otherName = need ? row.offer_name : row.need_name;
    const otherTitle = (otherPostId ? (need ? row.offer_title : row.need_title) : otherName) ?? "";
    return {
      group: userId ? groupOf(row, userId) : otherPostId ? (need ? "offers_for_your_needs" : "needs_for_you") : "people",
      mine: {
        postId: need ? row.need_post_id : row.offer_post_id,
        title: need ? row.need_title : row.offer_title,
        side: need ? "need" : "offer",
      },
      other: {
        kind: otherPostId ? "post" : "person",
        id: otherPostId ?? otherUserId,
        title: otherTitle,
        path: otherPostId ? `/posts/${otherPostId}` : `/people/${otherUserId}`,
        side: need ? "offer" : "need",
        userId: otherUserId,
        authorName: otherName,
        role: ((need ? row.offer_role : row.need_role) as Role | null) ?? null,
        district: (need ? row.offer_district : row.need_district) ?? null,
        postedAt: otherPostId ? (need ? row.offer_created_at : row.need_created_at) : null,
      },
      alsoVia: [],
      score: row.score,
      mutual: row.mutual,
      firstSeenAt: row.first_seen_at,
      reason: reasonOf(row),
    };
  });
}

/**
 * One card per counterpart and side of mine: the best match of each stays (in the one order of compareMatches),
 * the counterpart's other posts and profile that fit the same side of mine become its `alsoVia` — near-identical
 * posts of one author, and a person who fits through their profile and their posts, show once. With
 * `acrossMine`, a counterpart appears once in the whole list (the digest), under the side of mine it fits best.
 */
export function oneCardPerCounterpart(matches: UserMatch[], options: { acrossMine?: boolean } = {}): UserMatch[] {
  const cards = new Map<string, UserMatch>();
  for (const match of [...matches].sort(byOrder)) {
    const key = options.acrossMine ? match.other.userId : `${match.mine.postId ?? `profile-${match.mine.side}`}:${match.other.userId}`;
    const card = cards.get(key);
    if (!card) cards.set(key, { ...match, alsoVia: [] });
    else {
      card.alsoVia.push({ kind: match.other.kind, id: match.other.id, title: match.other.title, path: match.other.path });
      card.mutual ||= match.mutual;
      if (match.firstSeenAt > card.firstSeenAt) card.firstSeenAt = match.firstSeenAt;
    }
  }
  return [...cards.values()];
}

/** Rows read per card wanted: a counterpart with a profile and a few posts takes several rows. */
const ROWS_PER_CARD = 4;

/**
 * For the digest: a person's new matches (first seen after `since`, all when null) on their visible posts and
 * profile, one card per counterpart, best first.
 */
export async function newMatchesForUser(userId: string, since: Date | null, limit: number): Promise<UserMatch[]> {
  if (!isId(userId)) return [];
  const rows = await queries.listMatchesOfUser(db(), userId, { since, limit: limit * ROWS_PER_CARD });
  const matches = await toUserMatches(rows, (row) => row.need_user_id === userId, userId);
  return oneCardPerCounterpart(matches, { acrossMine: true }).slice(0, limit);
}

/** How many counterparts have new matches (as newMatchesForUser counts cards). */
export async function countNewMatchesForUser(userId: string, since: Date | null): Promise<number> {
  if (!isId(userId)) return 0;
  return queries.countMatchesOfUser(db(), userId, since);
}

export type MatchListItem = UserMatch & { reasonText: string; isNew: boolean; picture?: ImageView | null };

/** The counterpart's picture on each card: a post's cover, a person's portrait (null: the card draws its own). */
async function withPictures<T extends { other: UserMatch["other"] }>(items: T[]): Promise<(T & { picture: ImageView | null })[]> {
  const postIds = items.filter((item) => item.other.kind === "post").map((item) => item.other.id);
  const userIds = items.filter((item) => item.other.kind === "person").map((item) => item.other.userId);
  const [covers, portraits] = await Promise.all([coversOfPosts(postIds), portraitsOf(userIds)]);
  return items.map((item) => ({
    ...item,
    picture: (item.other.kind === "post" ? covers.get(item.other.id) : portraits.get(item.other.userId)) ?? null,
  }));
}

/** /matches: one section per side of mine (a post of mine, or my profile as need or offer). */
export type MatchSection = {
  key: string;
  mine: UserMatch["mine"];
  group: MatchGroup;
  total: number;
  items: MatchListItem[];
};

export type MatchFilters = { kind?: (typeof MATCH_FILTER_KINDS)[number]; role?: Role; district?: string };
/** Cards per section on the overview; "mehr" opens one section with pages of MATCH_PAGE_SIZE. */
export const MATCHES_PER_SECTION = 3;
export const MATCH_PAGE_SIZE = 20;
/** Most rows read for one person's /matches. */
const MATCH_ROWS_READ = 1000;

const sectionKey = (mine: UserMatch["mine"]) => (mine.postId ? `p${mine.postId}` : `profile-${mine.side}`);

/**
 * "Meine Matches": sections per post of mine and per side of my profile, each one card per counterpart, best
 * first; filtered by the other side's kind, role and Ortsteil; the overview shows the best few per section,
 * `section` opens one section at `page`.
 */
export async function matchesForUser(
  userId: string,
  locale: Locale,
  options: { filters?: MatchFilters; section?: string; page?: number } = {},
) {
  // undefined: no profile yet (then nothing can be marked as seen and everything counts as new)
  const seen = await queries.findMatchesSeenAt(db(), userId);
  const seenAt = seen ?? null;
  const rows = await queries.listMatchesOfUser(db(), userId, { since: null, limit: MATCH_ROWS_READ });
  const { kind, role, district } = options.filters ?? {};
  const all = (await toUserMatches(rows, (row) => row.need_user_id === userId, userId)).filter(
    (match) =>
      (!kind || match.other.kind === kind) && (!role || match.other.role === role) && (!district || match.other.district === district),
  );
  const cards = oneCardPerCounterpart(all);
  const items: MatchListItem[] = cards.map((match) => ({
    ...match,
    reasonText: describeReason(match.reason, locale, match.mine.side),
    isNew: !seenAt || match.firstSeenAt > seenAt,
  }));
  const sections = new Map<string, MatchSection>();
  for (const item of items) {
    const key = sectionKey(item.mine);
    let section = sections.get(key);
    if (!section) sections.set(key, (section = { key, mine: item.mine, group: item.group, total: 0, items: [] }));
    section.items.push(item);
    section.total++;
  }
  const page = Math.max(1, options.page ?? 1);
  const open = options.section ? sections.get(options.section) : undefined;
  const shown = [...sections.values()]
    .filter((section) => !options.section || section.key === options.section)
    .map((section) => ({
      ...section,
      items: open ? section.items.slice((page - 1) * MATCH_PAGE_SIZE, page * MATCH_PAGE_SIZE) : section.items.slice(0, MATCHES_PER_SECTION),
    }));
  for (const section of shown) section.items = await withPictures(section.items);
  // districts and roles of the counterparts, for the filter choices
  const unfiltered =
    options.filters && (kind || role || district) ? await toUserMatches(rows, (row) => row.need_user_id === userId, userId) : all;
  return {
    hasProfile: seen !== undefined,
    seenAt,
    newCount: items.filter((item) => item.isNew).length,
    total: items.length,
    sections: shown,
    section: open ? { key: open.key, page, pages: Math.max(1, Math.ceil(open.total / MATCH_PAGE_SIZE)) } : null,
    districts: [...new Set(unfiltered.map((match) => match.other.district).filter((value): value is string => Boolean(value)))].sort(),
  };
}

/** "Alle als gesehen markieren": later matches count as new. False when the person has no profile yet. */
export async function markMatchesSeen(userId: string) {
  return queries.setMatchesSeenAt(db(), userId);
}

/**
 * For a post page (and the relevance bench): who fits this post — offers for a need, needs for an offer, posts
 * and people — one card per counterpart, best first, at most `limit`; fewer when fewer fit.
 */
export async function postMatchCards(postId: string, locale: Locale, limit = 5): Promise<MatchListItem[]> {
  if (!isId(postId)) return [];
  const rows = await queries.listAllMatchesOfPost(db(), postId, limit * ROWS_PER_CARD);
  const matches = await toUserMatches(rows, (row) => row.need_post_id === postId, null);
  return withPictures(
    oneCardPerCounterpart(matches)
      .slice(0, limit)
      .map((match) => ({ ...match, reasonText: describeReason(match.reason, locale, match.mine.side), isNew: false })),
  );
}
