/**
 * How well an offer fits a need: the scoring rules in one readable place (browser-safe, no I/O).
 *
 * The full recompute and the incremental update run these rules through engine.ts, which precomputes what it
 * can for many pairs; engine.test.ts checks that its scores and reasons equal matchSides() below.
 *
 *   skill   = Σ idf(s) over the need's skills the offer has too
 *           + NEAR_SKILL × Σ idf(s) over the need's skills the offer only has a sibling of (same small ESCO group)
 *   idf(s)  = ln((N + 1) / (df(s) + 1)) + 1, N = open visible posts, df(s) = those among them with skill s
 *             (log(N/df), smoothed so a skill no post has yet still counts and one every post has counts a little)
 *   score   = skill × (1 + 0.30·place + 0.15·roles + 0.15·freshness + 0.10·exchange)
 *
 * The context factor only reorders fits of similar skill weight (it lies between 0.9 and 1.7): without a
 * shared or related skill nothing matches, however close the places are.
 */
import type { ExchangeMode, Role } from "~/lib/reference";

export const SCORE_WEIGHTS = {
  /** A need skill the offer has only a sibling of counts this much of a shared one. */
  nearSkill: 0.3,
  context: { place: 0.3, roles: 0.15, freshness: 0.15, exchange: 0.1 },
  place: { district: 1, borough: 0.6, city: 0.3, remote: 0.2 },
  exchange: { same: 1, open: 1, other: 0, conflict: -1, unknown: 0 },
  /** A side's freshness is exp(-age / this many days): a new post 1, a 90-day-old one 0.37. */
  freshnessDays: 90,
} as const;

/** Per side, the best this many post candidates and this many person candidates are stored. */
export const MATCHES_KEPT_PER_SIDE = 5;
/**
 * Bounds the work so it grows linearly with the number of posts: within one skill, a side meets the newest
 * CANDIDATES_PER_SKILL posts and the CANDIDATES_PER_SKILL most recently updated people of the other kind, and
 * those newest ones meet every side. A rare skill's sides all meet; for a skill many open posts share, each
 * still meets the newest few, and older candidates would rank below newer ones anyway.
 */
export const CANDIDATES_PER_SKILL = 8;
/** The same bound for related skills (same ESCO group), which weigh less and so need fewer candidates. */
export const CANDIDATES_PER_GROUP = 5;
/** "Same ESCO group" only means something for small groups; bigger ones are ignored for nearness. */
export const NEAR_GROUP_MAX_SKILLS = 60;

/**
 * Whose need fits whose offer especially well because they bring different things: a startup needing what
 * science or a workshop offers, art needing a workshop, and so on. Peers (same role) get no bonus.
 */
export const COMPLEMENTARY_ROLES: Record<Role, readonly Role[]> = {
  startup: ["scientist", "craftsperson", "artist"],
  scientist: ["startup", "craftsperson"],
  artist: ["craftsperson", "scientist", "startup"],
  craftsperson: ["artist", "scientist", "startup"],
  initiative: ["startup", "scientist", "artist", "craftsperson"],
};

export type PlaceRelation = "district" | "borough" | "city" | "remote";
export type ExchangeRelation = keyof typeof SCORE_WEIGHTS.exchange;

/** The facts a match is made of, stored as JSON with the match and rendered by reasons.ts. */
export type ReasonFacts = {
  /** the need's skills the offer has too, rarest first */
  shared: string[];
  /** the need's skills the offer has a sibling of (same ESCO group) */
  near: string[];
  place: PlaceRelation | null;
  /** the shared Ortsteil when place = "district" */
  district: string | null;
  /** the shared Stadtbezirk when place = "district" or "borough" */
  borough: string | null;
  /** [need role, offer role] when they complement each other */
  roles: [Role, Role] | null;
  /** the agreed way of exchange when both sides are compatible (same mode, or one says "open") */
  exchange: ExchangeMode | null;
};

export type SkillFact = { id: string; slug: string; label_de: string; label_en: string };
/** The stored facts with the skills' labels in both languages, as the read APIs return them. */
export type MatchReason = Omit<ReasonFacts, "shared" | "near"> & { shared: SkillFact[]; near: SkillFact[] };

/** One side of a match: a post, or a person's profile (its sought skills are a need, its offered ones an offer). */
export type Side = {
  ownerId: string;
  skillIds: string[];
  /** Ortsteil, "elsewhere" or null (remote-only post) */
  district: string | null;
  /** Stadtbezirk of the Ortsteil, null outside Leipzig */
  borough: string | null;
  remote: boolean;
  /** null for a person (profiles have no exchange mode) */
  exchangeMode: ExchangeMode | null;
  /** the owner's role, null without a profile */
  role: Role | null;
  ageDays: number;
};

export type Taxonomy = {
  /** rarity weight of a skill */
  idf: (skillId: string) => number;
  /** the small ESCO groups a skill belongs to directly */
  groupsOf: (skillId: string) => readonly string[];
};

export function inverseDocumentFrequency(visiblePosts: number, postsWithSkill: number): number {
  return Math.log((visiblePosts + 1) / (postsWithSkill + 1)) + 1;
}

export function freshness(ageDays: number): number {
  return Math.exp(-Math.max(0, ageDays) / SCORE_WEIGHTS.freshnessDays);
}

export function placeRelation(need: Pick<Side, "district" | "borough" | "remote">, offer: Pick<Side, "district" | "borough" | "remote">): PlaceRelation | null {
  if (need.borough && offer.borough) {
    if (need.district === offer.district) return "district";
    if (need.borough === offer.borough) return "borough";
    return "city";
  }
  if (need.remote || offer.remote) return "remote";
  return null;
}

export function exchangeRelation(need: ExchangeMode | null, offer: ExchangeMode | null): { relation: ExchangeRelation; agreed: ExchangeMode | null } {
  if (!need || !offer) return { relation: "unknown", agreed: null };
  if (need === offer) return { relation: "same", agreed: need };
  if (need === "open") return { relation: "open", agreed: offer };
  if (offer === "open") return { relation: "open", agreed: need };
  // paid work offered for a volunteer need (or the other way round) pulls apart
  if ((need === "paid" && offer === "volunteer") || (need === "volunteer" && offer === "paid")) return { relation: "conflict", agreed: null };
  return { relation: "other", agreed: null };
}

export function rolesComplement(needRole: Role | null, offerRole: Role | null): boolean {
  return Boolean(needRole && offerRole && COMPLEMENTARY_ROLES[needRole].includes(offerRole));
}

/** The need's skills the offer has (shared) or has a sibling of (near), rarest first, and their weight. */
export function skillOverlap(needSkills: readonly string[], offerSkills: readonly string[], taxonomy: Taxonomy) {
  const offered = new Set(offerSkills);
  const offeredGroups = new Set(offerSkills.flatMap((skill) => taxonomy.groupsOf(skill)));
  // rarest first; equally rare ones by id (numeric ids in number order), so the order is the same everywhere
  const byRarity = [...new Set(needSkills)].sort((a, b) => taxonomy.idf(b) - taxonomy.idf(a) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const shared = byRarity.filter((skill) => offered.has(skill));
  const near = byRarity.filter((skill) => !offered.has(skill) && taxonomy.groupsOf(skill).some((group) => offeredGroups.has(group)));
  const weight =
    shared.reduce((sum, skill) => sum + taxonomy.idf(skill), 0) +
    SCORE_WEIGHTS.nearSkill * near.reduce((sum, skill) => sum + taxonomy.idf(skill), 0);
  return { shared, near, weight };
}

export type ScoreComponents = {
  skillWeight: number;
  place: PlaceRelation | null;
  rolesComplement: boolean;
  /** mean freshness of both sides, 0..1 */
  freshness: number;
  exchange: ExchangeRelation;
};

export function scoreMatch(components: ScoreComponents): number {
  const { context, place, exchange } = SCORE_WEIGHTS;
  const factor =
    1 +
    context.place * (components.place ? place[components.place] : 0) +
    context.roles * (components.rolesComplement ? 1 : 0) +
    context.freshness * components.freshness +
    context.exchange * exchange[components.exchange];
  return components.skillWeight * factor;
}

/** The whole rule for one pair: undefined when they must not or do not match. */
export function matchSides(need: Side, offer: Side, taxonomy: Taxonomy): { score: number; facts: ReasonFacts } | undefined {
  if (need.ownerId === offer.ownerId) return undefined;
  const overlap = skillOverlap(need.skillIds, offer.skillIds, taxonomy);
  if (overlap.weight === 0) return undefined;
  const place = placeRelation(need, offer);
  const exchange = exchangeRelation(need.exchangeMode, offer.exchangeMode);
  const complement = rolesComplement(need.role, offer.role);
  const score = scoreMatch({
    skillWeight: overlap.weight,
    place,
    rolesComplement: complement,
    freshness: (freshness(need.ageDays) + freshness(offer.ageDays)) / 2,
    exchange: exchange.relation,
  });
  return {
    score,
    facts: {
      shared: overlap.shared,
      near: overlap.near,
      place,
      district: place === "district" ? need.district : null,
      borough: place === "district" || place === "borough" ? need.borough : null,
      roles: complement && need.role && offer.role ? [need.role, offer.role] : null,
      exchange: exchange.agreed,
    },
  };
}

/** Mutual matches first, then by score, best first. */
export function compareMatches(a: { mutual: boolean; score: number }, b: { mutual: boolean; score: number }): number {
  if (a.mutual !== b.mutual) return a.mutual ? -1 : 1;
  return b.score - a.score;
}
