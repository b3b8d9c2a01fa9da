/**
 * The matching computation in memory (no I/O): which sides meet, their scores by the rules of scoring.ts, and
 * which pairs are kept. The full recompute runs it over every side at once; the incremental update over the
 * changed sides and the candidates the database picked for them. engine.test.ts checks that every score and
 * reason equals matchSides() in scoring.ts for the same facts.
 *
 * Sides meet on keys: each of their skills, and "related to skill s" for strong relations (a need with s, an offer
 * with a skill strongly related to s; weaker relations only add to a fit, so they never need a meeting). Within a
 * key, a side meets the newest CANDIDATES_PER_SKILL (CANDIDATES_PER_GROUP for a relation key) posts and as many
 * most recently updated people of the other kind, and those newest ones meet every side on the key. So a rare
 * skill's sides all meet, and a very common skill costs linear, not quadratic, work.
 */
import { EXCHANGE_MODES, ROLES, type ExchangeMode, type Role } from "~/lib/reference";
import {
  CANDIDATES_PER_GROUP,
  CANDIDATES_PER_SKILL,
  EXACT_TIER,
  MATCHES_KEPT_PER_SIDE,
  SCORE_WEIGHTS,
  STRONG_RELATION,
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

/** A skill's related skills, closest first (equal weights by id), as parallel arrays. */
export type RelatedSkills = { skills: readonly number[]; weights: readonly number[] };

/** Rarity weights and the skill relation. */
export type MatchTaxonomy = {
  idf: (skillId: number) => number;
  related: (skillId: number) => RelatedSkills;
};

/** Stored reason facts: skill ids as numbers. */
export type StoredFacts = Omit<ReasonFacts, "shared" | "near"> & { shared: number[]; near: [number, number][] };

const MODE_CODES = new Map<string, number>(EXCHANGE_MODES.map((mode, index) => [mode, index]));
const NO_MODE = EXCHANGE_MODES.length;
const ROLE_CODES = new Map<string, number>(ROLES.map((role, index) => [role, index]));
/** exchange weight by need mode × offer mode (NO_MODE: none), from exchangeRelation() */
const EXCHANGE_WEIGHT = (() => {
  const modes = [...EXCHANGE_MODES, null];
  return Float64Array.from(modes.flatMap((need) => modes.map((offer) => SCORE_WEIGHTS.exchange[exchangeRelation(need, offer).relation])));
})();
/** 1 when the need role and offer role complement each other (rolesComplement()) */
const ROLES_COMPLEMENT = Uint8Array.from(ROLES.flatMap((need) => ROLES.map((offer) => (rolesComplement(need, offer) ? 1 : 0))));
const { context: CONTEXT, place: PLACE } = SCORE_WEIGHTS;

/**
 * The sides in flat typed arrays: scoring millions of pairs then reads a few compact arrays instead of
 * chasing objects across the heap (which made it memory-bound). Texts become numbers; per side its skills
 * with their rarity weights and related skills.
 */
class SidePack {
  readonly count: number;
  readonly owner: Int32Array;
  readonly district: Int32Array;
  readonly borough: Int32Array;
  readonly mode: Int32Array;
  readonly role: Int32Array;
  readonly remote: Uint8Array;
  readonly isPerson: Uint8Array;
  readonly fresh: Float64Array;
  /** skills of side i: skill[skillStart[i] .. skillStart[i + 1]) */
  readonly skillStart: Int32Array;
  readonly skill: Float64Array;
  readonly idf: Float64Array;
  /** related skills of skill occurrence k, closest first: relSkill/relWeight[relStart[k] .. relStart[k + 1]) */
  readonly relStart: Int32Array;
  readonly relSkill: Float64Array;
  readonly relWeight: Float64Array;

  constructor(
    readonly sides: readonly MatchSide[],
    readonly taxonomy: MatchTaxonomy,
  ) {
    const count = (this.count = sides.length);
    const coder = () => {
      const codes = new Map<string, number>();
      return (text: string | null) => {
        if (text === null) return -1;
        let value = codes.get(text);
        if (value === undefined) codes.set(text, (value = codes.size));
        return value;
      };
    };
    const ownerCode = coder();
    const placeCode = coder();
    this.owner = new Int32Array(count);
    this.district = new Int32Array(count);
    this.borough = new Int32Array(count);
    this.mode = new Int32Array(count);
    this.role = new Int32Array(count);
    this.remote = new Uint8Array(count);
    this.isPerson = new Uint8Array(count);
    this.fresh = new Float64Array(count);
    this.skillStart = new Int32Array(count + 1);
    const skills: number[] = [];
    const relStart: number[] = [0];
    const relSkill: number[] = [];
    const relWeight: number[] = [];
    sides.forEach((side, i) => {
      this.owner[i] = ownerCode(side.userId);
      this.district[i] = placeCode(side.district === null ? null : `d${side.district}`);
      this.borough[i] = placeCode(side.borough === null ? null : `b${side.borough}`);
      this.mode[i] = side.exchangeMode === null ? NO_MODE : (MODE_CODES.get(side.exchangeMode) ?? NO_MODE);
      this.role[i] = side.role === null ? -1 : (ROLE_CODES.get(side.role) ?? -1);
      this.remote[i] = side.remote ? 1 : 0;
      this.isPerson[i] = side.postId === null ? 1 : 0;
      this.fresh[i] = side.fresh;
      for (const skill of side.skills) {
        skills.push(skill);
        const related = taxonomy.related(skill);
        for (let r = 0; r < related.skills.length; r++) {
          relSkill.push(related.skills[r]!);
          relWeight.push(related.weights[r]!);
        }
        relStart.push(relSkill.length);
      }
      this.skillStart[i + 1] = skills.length;
    });
    this.skill = Float64Array.from(skills);
    this.idf = Float64Array.from(skills, (skill) => taxonomy.idf(skill));
    this.relStart = Int32Array.from(relStart);
    this.relSkill = Float64Array.from(relSkill);
    this.relWeight = Float64Array.from(relWeight);
  }

  /**
   * The index (into relSkill) of the closest related skill of need n's skill occurrence k that offer o has and n
   * does not (a shared skill does not count again as related), or -1.
   */
  private closest(k: number, n: number, o: number) {
    for (let r = this.relStart[k]!; r < this.relStart[k + 1]!; r++)
      if (this.has(o, this.relSkill[r]!) && !this.has(n, this.relSkill[r]!)) return r;
    return -1;
  }

  private has(o: number, skill: number) {
    for (let j = this.skillStart[o]!; j < this.skillStart[o + 1]!; j++) if (this.skill[j] === skill) return true;
    return false;
  }

  /**
   * The score of need n for offer o, 0 when they do not match: matchSides() and scoreMatch() of scoring.ts
   * in arithmetic on numbers.
   */
  score(n: number, o: number): number {
    if (this.owner[n] === this.owner[o]) return 0;
    let skillWeight = 0;
    let exact = false;
    let strong = 0;
    for (let k = this.skillStart[n]!; k < this.skillStart[n + 1]!; k++) {
      if (this.has(o, this.skill[k]!)) {
        skillWeight += this.idf[k]!;
        exact = true;
        continue;
      }
      const r = this.closest(k, n, o);
      if (r < 0) continue;
      skillWeight += SCORE_WEIGHTS.nearSkill * this.relWeight[r]! * this.idf[k]!;
      if (this.relWeight[r]! >= STRONG_RELATION) strong += 1;
    }
    // without a shared skill, strong relations must stand in for more than half of the need's skills
    if (!exact && strong * 2 <= this.skillStart[n + 1]! - this.skillStart[n]!) return 0;
    let place = 0;
    if (this.borough[n]! >= 0 && this.borough[o]! >= 0) {
      place = this.district[n] === this.district[o] ? PLACE.district : this.borough[n] === this.borough[o] ? PLACE.borough : PLACE.city;
    } else if (this.remote[n] === 1 || this.remote[o] === 1) place = PLACE.remote;
    const complement = this.role[n]! >= 0 && this.role[o]! >= 0 ? ROLES_COMPLEMENT[this.role[n]! * ROLES.length + this.role[o]!]! : 0;
    const factor =
      1 +
      CONTEXT.place * place +
      CONTEXT.roles * complement +
      CONTEXT.freshness * ((this.fresh[n]! + this.fresh[o]!) / 2) +
      CONTEXT.exchange * EXCHANGE_WEIGHT[this.mode[n]! * (NO_MODE + 1) + this.mode[o]!]!;
    return (exact ? EXACT_TIER : 0) + skillWeight * factor;
  }

  /** The reason facts of need n for offer o (as matchSides gives them): skills rarest first, equal rarity by id. */
  facts(n: number, o: number): StoredFacts {
    const order: number[] = [];
    for (let k = this.skillStart[n]!; k < this.skillStart[n + 1]!; k++) order.push(k);
    order.sort((a, b) => this.idf[b]! - this.idf[a]! || this.skill[a]! - this.skill[b]!);
    const shared: number[] = [];
    const near: [number, number][] = [];
    for (const k of order) {
      if (this.has(o, this.skill[k]!)) {
        shared.push(this.skill[k]!);
        continue;
      }
      const r = this.closest(k, n, o);
      if (r >= 0) near.push([this.skill[k]!, this.relSkill[r]!]);
    }
    const need = this.sides[n]!;
    const offer = this.sides[o]!;
    const place = placeRelation(need, offer);
    const complement = rolesComplement(need.role, offer.role);
    return {
      shared,
      near,
      place,
      district: place === "district" ? need.district : null,
      borough: place === "district" || place === "borough" ? need.borough : null,
      roles: complement && need.role && offer.role ? [need.role, offer.role] : null,
      exchange: exchangeRelation(need.exchangeMode, offer.exchangeMode).agreed,
    };
  }
}

/** Scores and reasons for pairs among these sides outside a full run (the incremental update, tests). */
export function createScorer(sides: readonly MatchSide[], taxonomy: MatchTaxonomy) {
  const pack = new SidePack(sides, taxonomy);
  const index = new Map(sides.map((side, i) => [side, i]));
  const at = (side: MatchSide) => {
    const i = index.get(side);
    if (i === undefined) throw new Error("createScorer: unknown side");
    return i;
  };
  return {
    score: (need: MatchSide, offer: MatchSide) => pack.score(at(need), at(offer)) || undefined,
    facts: (need: MatchSide, offer: MatchSide) => pack.facts(at(need), at(offer)),
  };
}

const jsonText = (value: string | null) => (value === null ? "null" : JSON.stringify(value));

/** The stored JSON of reason facts, written out directly: the full recompute serializes a million of them. */
export function factsJson(facts: StoredFacts): string {
  const roles = facts.roles ? `[${jsonText(facts.roles[0])},${jsonText(facts.roles[1])}]` : "null";
  return (
    `{"shared":[${facts.shared.join(",")}],"near":[${facts.near.map(([need, offer]) => `[${need},${offer}]`).join(",")}],"place":${jsonText(facts.place)},` +
    `"district":${jsonText(facts.district)},"borough":${jsonText(facts.borough)},"roles":${roles},"exchange":${jsonText(facts.exchange)}}`
  );
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
  const pack = new SidePack(sides, taxonomy);
  const count = sides.length;

  // Key lists: a skill id (> 0) or "related to skill s" (-1 - s), then need/offer × post/person. A need side
  // is on the relation key of each of its skills, an offer side on those of the skills strongly related to its own.
  type Lists = [number[], number[], number[], number[]];
  const lists = new Map<number, Lists>();
  const keysOf: number[][] = [];
  for (let index = 0; index < count; index++) {
    const keys = new Set<number>();
    const isNeed = sides[index]!.kind === "need";
    for (let k = pack.skillStart[index]!; k < pack.skillStart[index + 1]!; k++) {
      keys.add(pack.skill[k]!);
      for (let r = pack.relStart[k]!; r < pack.relStart[k + 1]! && pack.relWeight[r]! >= STRONG_RELATION; r++) {
        keys.add(-1 - (isNeed ? pack.skill[k]! : pack.relSkill[r]!));
      }
    }
    keysOf.push([...keys]);
    const list = (isNeed ? 0 : 2) + pack.isPerson[index]!;
    for (const key of keys) {
      let entry = lists.get(key);
      if (!entry) lists.set(key, (entry = [[], [], [], []]));
      entry[list]!.push(index);
    }
  }
  const newer = (a: number, b: number) => sides[b]!.recency - sides[a]!.recency || a - b;
  // The newest need sides per key, which meet every offer side of the key.
  const newestNeeds = new Map<number, Set<number>>();
  for (const [key, entry] of lists) {
    const cap = key > 0 ? limits.perSkill : limits.perGroup;
    for (const list of entry) if (list.length > 1) list.sort(newer);
    const newest = new Set<number>();
    for (const list of [entry[0], entry[1]]) for (let i = 0; i < Math.min(cap, list.length); i++) newest.add(list[i]!);
    newestNeeds.set(key, newest);
  }

  // owners are numbered 0 .. ownerCount - 1, so an owner pair is one number
  const owners = new Map<string, number>();
  sides.forEach((side, i) => owners.set(side.userId, pack.owner[i]!));
  const ownerCount = owners.size;
  const blocked = new Set<number>();
  for (const [a, b] of blocks) {
    const ia = owners.get(a);
    const ib = owners.get(b);
    if (ia === undefined || ib === undefined) continue;
    blocked.add(ia * ownerCount + ib);
    blocked.add(ib * ownerCount + ia);
  }
  const anyBlock = blocked.size > 0;

  // Per side, the best `kept` partners of each type (post, person), sorted best first.
  const K = limits.kept;
  const topScore = new Float64Array(count * 2 * K);
  const topPartner = new Int32Array(count * 2 * K);
  const topCount = new Uint8Array(count * 2);
  const offer = (side: number, partner: number, score: number) => {
    const slot = side * 2 + pack.isPerson[partner]!;
    const base = slot * K;
    let filled = topCount[slot]!;
    if (filled === K) {
      const last = base + K - 1;
      if (score < topScore[last]! || (score === topScore[last] && partner > topPartner[last]!)) return;
      filled--;
    }
    let at = base + filled;
    while (at > base && (topScore[at - 1]! < score || (topScore[at - 1] === score && topPartner[at - 1]! > partner))) {
      topScore[at] = topScore[at - 1]!;
      topPartner[at] = topPartner[at - 1]!;
      at--;
    }
    topScore[at] = score;
    topPartner[at] = partner;
    topCount[slot] = filled + 1;
  };

  const seenBy = new Int32Array(count).fill(-1);
  let pairsScored = 0;
  for (let n = 0; n < count; n++) {
    if (sides[n]!.kind !== "need") continue;
    const needOwner = pack.owner[n]!;
    for (const key of keysOf[n]!) {
      const entry = lists.get(key)!;
      const cap = key > 0 ? limits.perSkill : limits.perGroup;
      const meetsAll = newestNeeds.get(key)!.has(n);
      for (let which = 2; which <= 3; which++) {
        const list = entry[which]!;
        const limit = meetsAll ? list.length : Math.min(cap, list.length);
        for (let i = 0; i < limit; i++) {
          const o = list[i]!;
          if (seenBy[o] === n) continue;
          seenBy[o] = n;
          if (anyBlock && blocked.has(needOwner * ownerCount + pack.owner[o]!)) continue;
          const score = pack.score(n, o);
          if (score === 0) continue;
          pairsScored++;
          offer(n, o, score);
          offer(o, n, score);
        }
      }
    }
  }

  // Kept: in the need side's lists, or else in the offer side's.
  const inTop = (side: number, partner: number) => {
    const slot = side * 2 + pack.isPerson[partner]!;
    for (let i = 0; i < topCount[slot]!; i++) if (topPartner[slot * K + i] === partner) return true;
    return false;
  };
  const keptNeed: number[] = [];
  const keptOffer: number[] = [];
  const keptScore: number[] = [];
  for (let side = 0; side < count; side++) {
    const isNeed = sides[side]!.kind === "need";
    for (let slot = side * 2; slot < side * 2 + 2; slot++) {
      for (let i = 0; i < topCount[slot]!; i++) {
        const partner = topPartner[slot * K + i]!;
        if (!isNeed && inTop(partner, side)) continue;
        keptNeed.push(isNeed ? side : partner);
        keptOffer.push(isNeed ? partner : side);
        keptScore.push(topScore[slot * K + i]!);
      }
    }
  }
  const ownerPairs = new Set<number>();
  for (let i = 0; i < keptNeed.length; i++) ownerPairs.add(pack.owner[keptNeed[i]!]! * ownerCount + pack.owner[keptOffer[i]!]!);
  const mutual = Uint8Array.from(keptNeed, (n, i) => (ownerPairs.has(pack.owner[keptOffer[i]!]! * ownerCount + pack.owner[n]!) ? 1 : 0));
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
    factsOf: (i) => pack.facts(need[i]!, offerSides[i]!),
  };
}
