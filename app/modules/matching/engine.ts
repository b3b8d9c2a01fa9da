/**
 * The matching computation in memory (no I/O): which sides meet, their scores by the rules of scoring.ts, and
 * which pairs are kept. The full recompute runs it over every side at once; the incremental update over the
 * changed sides and the candidates the database picked for them. engine.test.ts checks that every score and
 * reason equals matchSides() in scoring.ts for the same facts.
 *
 * Sides meet on keys: each of their skills, and each small ESCO group of those skills. Within a key, a side
 * meets the newest CANDIDATES_PER_SKILL (CANDIDATES_PER_GROUP for a group) posts and as many most recently
 * updated people of the other kind, and those newest ones meet every side on the key. So a rare skill's
 * sides all meet, and a very common skill costs linear, not quadratic, work.
 */
import { EXCHANGE_MODES, ROLES, type ExchangeMode, type Role } from "~/lib/reference";
import {
  CANDIDATES_PER_GROUP,
  CANDIDATES_PER_SKILL,
  MATCHES_KEPT_PER_SIDE,
  SCORE_WEIGHTS,
  exchangeRelation,
  placeRelation,
  rolesComplement,
  type ReasonFacts,
} from "./scoring";

export type MatchSide = {
  kind: "need" | "offer";
  /** null: a person's profile (their sought skills are a need, their offered ones an offer) */
  postId: string | null;
  userId: string;
  district: string | null;
  borough: string | null;
  remote: boolean;
  exchangeMode: ExchangeMode | null;
  role: Role | null;
  /** freshness(age) of the side, 0..1 */
  fresh: number;
  /** orders sides by how new they are: a post's id (ids grow with time), a profile's last update */
  recency: number;
  skills: number[];
};

/** Rarity weights and the small ESCO groups of skills. */
export type MatchTaxonomy = {
  idf: (skillId: number) => number;
  /** ids of the small groups the skill belongs to directly */
  groupsOf: (skillId: number) => readonly number[];
};

/** Stored reason facts: skill ids as numbers. */
export type StoredFacts = Omit<ReasonFacts, "shared" | "near"> & { shared: number[]; near: number[] };

/** A side prepared for scoring many pairs: skill weights and groups looked up once, texts as numbers. */
type Prepared = {
  side: MatchSide;
  idf: Float64Array;
  /** per skill, its small groups */
  skillGroups: (readonly number[])[];
  /** all small groups of all its skills */
  groups: Set<number>;
  owner: number;
  district: number;
  borough: number;
  mode: number;
  role: number;
};

const MODE_CODES = new Map<string, number>(EXCHANGE_MODES.map((mode, index) => [mode, index]));
const ROLE_CODES = new Map<string, number>(ROLES.map((role, index) => [role, index]));
/** exchange weight by need mode × offer mode (index EXCHANGE_MODES.length: none), from exchangeRelation() */
const EXCHANGE_WEIGHT = (() => {
  const modes = [...EXCHANGE_MODES, null];
  return Float64Array.from(modes.flatMap((need) => modes.map((offer) => SCORE_WEIGHTS.exchange[exchangeRelation(need, offer).relation])));
})();
/** 1 when the need role and offer role complement each other (rolesComplement()) */
const ROLES_COMPLEMENT = Uint8Array.from(ROLES.flatMap((need) => ROLES.map((offer) => (rolesComplement(need, offer) ? 1 : 0))));

/** Numbers for owners and places, so comparing two sides compares numbers. One per computation. */
function createCodes() {
  const codes = new Map<string, number>();
  return (text: string | null) => {
    if (text === null) return -1;
    let code = codes.get(text);
    if (code === undefined) codes.set(text, (code = codes.size));
    return code;
  };
}

function prepare(side: MatchSide, taxonomy: MatchTaxonomy, code: (text: string | null) => number): Prepared {
  const skillGroups = side.skills.map((skill) => taxonomy.groupsOf(skill));
  return {
    side,
    idf: Float64Array.from(side.skills, (skill) => taxonomy.idf(skill)),
    skillGroups,
    groups: new Set(skillGroups.flat()),
    owner: code(`u${side.userId}`),
    district: code(side.district === null ? null : `d${side.district}`),
    borough: code(side.borough === null ? null : `b${side.borough}`),
    mode: side.exchangeMode === null ? EXCHANGE_MODES.length : (MODE_CODES.get(side.exchangeMode) ?? EXCHANGE_MODES.length),
    role: side.role === null ? -1 : (ROLE_CODES.get(side.role) ?? -1),
  };
}

function isNear(groups: readonly number[], offerGroups: Set<number>) {
  for (const group of groups) if (offerGroups.has(group)) return true;
  return false;
}

const { context: CONTEXT, place: PLACE } = SCORE_WEIGHTS;

/**
 * The score of need n for offer o, undefined when they do not match: matchSides() and scoreMatch() of
 * scoring.ts in arithmetic on numbers, because the full recompute scores millions of pairs.
 */
function scorePrepared(n: Prepared, o: Prepared): number | undefined {
  if (n.owner === o.owner) return undefined;
  let skillWeight = 0;
  const offered = o.side.skills;
  const needSkills = n.side.skills;
  for (let i = 0; i < needSkills.length; i++) {
    if (offered.includes(needSkills[i])) skillWeight += n.idf[i];
    else if (o.groups.size > 0 && isNear(n.skillGroups[i], o.groups)) skillWeight += SCORE_WEIGHTS.nearSkill * n.idf[i];
  }
  if (skillWeight === 0) return undefined;
  let place = 0;
  if (n.borough >= 0 && o.borough >= 0) place = n.district === o.district ? PLACE.district : n.borough === o.borough ? PLACE.borough : PLACE.city;
  else if (n.side.remote || o.side.remote) place = PLACE.remote;
  const complement = n.role >= 0 && o.role >= 0 ? ROLES_COMPLEMENT[n.role * ROLES.length + o.role] : 0;
  const factor =
    1 +
    CONTEXT.place * place +
    CONTEXT.roles * complement +
    CONTEXT.freshness * ((n.side.fresh + o.side.fresh) / 2) +
    CONTEXT.exchange * EXCHANGE_WEIGHT[n.mode * (EXCHANGE_MODES.length + 1) + o.mode];
  return skillWeight * factor;
}

/** The reason facts of a pair (as matchSides gives them): skills rarest first, equal rarity by id. */
function factsPrepared(n: Prepared, o: Prepared): StoredFacts {
  const order = n.side.skills.map((skill, i) => i).sort((a, b) => n.idf[b] - n.idf[a] || n.side.skills[a] - n.side.skills[b]);
  const shared: number[] = [];
  const near: number[] = [];
  for (const i of order) {
    const skill = n.side.skills[i];
    if (o.side.skills.includes(skill)) shared.push(skill);
    else if (isNear(n.skillGroups[i], o.groups)) near.push(skill);
  }
  const place = placeRelation(n.side, o.side);
  const complement = rolesComplement(n.side.role, o.side.role);
  return {
    shared,
    near,
    place,
    district: place === "district" ? n.side.district : null,
    borough: place === "district" || place === "borough" ? n.side.borough : null,
    roles: complement && n.side.role && o.side.role ? [n.side.role, o.side.role] : null,
    exchange: exchangeRelation(n.side.exchangeMode, o.side.exchangeMode).agreed,
  };
}

/** Scores and reasons for pairs of sides outside a full run (the incremental update, tests). */
export function createScorer(taxonomy: MatchTaxonomy) {
  const prepared = new Map<MatchSide, Prepared>();
  const code = createCodes();
  const get = (side: MatchSide) => {
    let found = prepared.get(side);
    if (!found) prepared.set(side, (found = prepare(side, taxonomy, code)));
    return found;
  };
  return {
    score: (need: MatchSide, offer: MatchSide) => scorePrepared(get(need), get(offer)),
    facts: (need: MatchSide, offer: MatchSide) => factsPrepared(get(need), get(offer)),
  };
}

/** Rarity weights from the sides themselves: over the post sides (open visible posts), per skill. */
export function countSkillsOfPosts(sides: readonly MatchSide[]) {
  const postsWithSkill = new Map<number, number>();
  let posts = 0;
  for (const side of sides) {
    if (side.postId === null) continue;
    posts++;
    for (const skill of side.skills) postsWithSkill.set(skill, (postsWithSkill.get(skill) ?? 0) + 1);
  }
  return { posts, postsWithSkill };
}

/** Owner pairs as one number, for blocks and mutual matches. */
function ownerIndex(sides: readonly MatchSide[]) {
  const index = new Map<string, number>();
  for (const side of sides) if (!index.has(side.userId)) index.set(side.userId, index.size);
  return index;
}

export type KeptPairs = {
  /** side indexes and scores of the kept pairs, need side first */
  need: Int32Array;
  offer: Int32Array;
  score: Float64Array;
  mutual: Uint8Array;
  count: number;
  pairsScored: number;
  keys: number;
  /** the reason facts of kept pair i */
  factsOf: (i: number) => StoredFacts;
};

/**
 * Every side against every side it meets: the pairs among the best `kept` post partners or person partners
 * of either side, with mutual marked (the two owners also fit the other way round).
 */
export function computeAllMatches(
  sides: readonly MatchSide[],
  taxonomy: MatchTaxonomy,
  blocks: readonly [string, string][],
  limits = { kept: MATCHES_KEPT_PER_SIDE, perSkill: CANDIDATES_PER_SKILL, perGroup: CANDIDATES_PER_GROUP },
): KeptPairs {
  const code = createCodes();
  const prepared = sides.map((side) => prepare(side, taxonomy, code));
  const count = sides.length;

  // Key lists: a skill id (> 0) or a small group (-1 - group id), then need/offer × post/person.
  type Lists = [number[], number[], number[], number[]];
  const lists = new Map<number, Lists>();
  const keysOf: number[][] = [];
  const listOf = (side: MatchSide) => (side.kind === "need" ? 0 : 2) + (side.postId === null ? 1 : 0);
  prepared.forEach((p, index) => {
    const keys = [...new Set([...p.side.skills, ...[...p.groups].map((group) => -1 - group)])];
    keysOf.push(keys);
    for (const key of keys) {
      let entry = lists.get(key);
      if (!entry) lists.set(key, (entry = [[], [], [], []]));
      entry[listOf(p.side)].push(index);
    }
  });
  const newer = (a: number, b: number) => sides[b].recency - sides[a].recency || a - b;
  // The newest need sides per key, which meet every offer side of the key.
  const newestNeeds = new Map<number, Set<number>>();
  for (const [key, entry] of lists) {
    const cap = key > 0 ? limits.perSkill : limits.perGroup;
    for (const list of entry) if (list.length > 1) list.sort(newer);
    const newest = new Set<number>();
    for (const list of [entry[0], entry[1]]) for (let i = 0; i < Math.min(cap, list.length); i++) newest.add(list[i]);
    newestNeeds.set(key, newest);
  }

  const owners = ownerIndex(sides);
  const ownerCount = owners.size;
  const ownerOf = Int32Array.from(sides, (side) => owners.get(side.userId) ?? -1);
  const blocked = new Set<number>();
  for (const [a, b] of blocks) {
    const ia = owners.get(a);
    const ib = owners.get(b);
    if (ia === undefined || ib === undefined) continue;
    blocked.add(ia * ownerCount + ib);
    blocked.add(ib * ownerCount + ia);
  }

  // Per side, the best `kept` partners of each type (post, person), sorted best first.
  const K = limits.kept;
  const topScore = new Float64Array(count * 2 * K);
  const topPartner = new Int32Array(count * 2 * K);
  const topCount = new Uint8Array(count * 2);
  const offer = (side: number, partner: number, score: number) => {
    const slot = side * 2 + (sides[partner].postId === null ? 1 : 0);
    const base = slot * K;
    let filled = topCount[slot];
    if (filled === K) {
      const last = base + K - 1;
      if (score < topScore[last] || (score === topScore[last] && partner > topPartner[last])) return;
      filled--;
    }
    let at = base + filled;
    while (at > base && (topScore[at - 1] < score || (topScore[at - 1] === score && topPartner[at - 1] > partner))) {
      topScore[at] = topScore[at - 1];
      topPartner[at] = topPartner[at - 1];
      at--;
    }
    topScore[at] = score;
    topPartner[at] = partner;
    topCount[slot] = filled + 1;
  };

  const seenBy = new Int32Array(count).fill(-1);
  let pairsScored = 0;
  for (let n = 0; n < count; n++) {
    if (sides[n].kind !== "need") continue;
    for (const key of keysOf[n]) {
      const entry = lists.get(key)!;
      const cap = key > 0 ? limits.perSkill : limits.perGroup;
      const meetsAll = newestNeeds.get(key)!.has(n);
      for (const list of [entry[2], entry[3]]) {
        const limit = meetsAll ? list.length : Math.min(cap, list.length);
        for (let i = 0; i < limit; i++) {
          const o = list[i];
          if (seenBy[o] === n) continue;
          seenBy[o] = n;
          if (ownerOf[n] === ownerOf[o] || blocked.has(ownerOf[n] * ownerCount + ownerOf[o])) continue;
          const score = scorePrepared(prepared[n], prepared[o]);
          if (score === undefined) continue;
          pairsScored++;
          offer(n, o, score);
          offer(o, n, score);
        }
      }
    }
  }

  // Kept: in the need side's lists, or else in the offer side's.
  const inTop = (side: number, partner: number) => {
    const slot = side * 2 + (sides[partner].postId === null ? 1 : 0);
    for (let i = 0; i < topCount[slot]; i++) if (topPartner[slot * K + i] === partner) return true;
    return false;
  };
  const keptNeed: number[] = [];
  const keptOffer: number[] = [];
  const keptScore: number[] = [];
  for (let side = 0; side < count; side++) {
    const isNeed = sides[side].kind === "need";
    for (let slot = side * 2; slot < side * 2 + 2; slot++) {
      for (let i = 0; i < topCount[slot]; i++) {
        const partner = topPartner[slot * K + i];
        if (!isNeed && inTop(partner, side)) continue;
        keptNeed.push(isNeed ? side : partner);
        keptOffer.push(isNeed ? partner : side);
        keptScore.push(topScore[slot * K + i]);
      }
    }
  }
  const ownerPairs = new Set<number>();
  for (let i = 0; i < keptNeed.length; i++) ownerPairs.add(ownerOf[keptNeed[i]] * ownerCount + ownerOf[keptOffer[i]]);
  const mutual = Uint8Array.from(keptNeed, (n, i) => (ownerPairs.has(ownerOf[keptOffer[i]] * ownerCount + ownerOf[n]) ? 1 : 0));
  const need = Int32Array.from(keptNeed);
  const offerSides = Int32Array.from(keptOffer);
  return {
    need,
    offer: offerSides,
    score: Float64Array.from(keptScore),
    mutual,
    count: keptNeed.length,
    pairsScored,
    keys: lists.size,
    factsOf: (i) => factsPrepared(prepared[need[i]], prepared[offerSides[i]]),
  };
}
