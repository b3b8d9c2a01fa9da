/**
 * How well an offer fits a need: the scoring rules in one readable place (browser-safe, no I/O).
 *
 * The full recompute and the incremental update run these rules through engine.ts, which precomputes what it
 * can for many pairs; engine.test.ts checks that its scores and reasons equal matchSides() below.
 *
 *   skill   = Σ idf(s) over the need's skills the offer has too (shared)
 *           + RELATED × Σ w(s) · idf(s) over the need's skills the offer only has a related skill of (near), where
 *             w(s) is the weight of the closest relation (skill_relations: ESCO's narrow families, curated crafts)
 *             to an offered skill that is not itself shared (one offered skill counts once)
 *   idf(s)  = ln((N + 1) / (df(s) + 1)) + 1, N = open visible posts, df(s) = those among them with skill s
 *             (log(N/df), smoothed so a skill no post has yet still counts and one every post has counts a little)
 *   fit     = a shared skill, or related ones of weight ≥ STRONG_RELATION for more than half of the need's skills;
 *             without it nothing matches, however close the places are (weaker relations only add to a fit)
 *   score   = EXACT_TIER·[a shared skill] + skill × (1 + 0.30·place + 0.15·roles + 0.15·freshness + 0.10·exchange)
 *
 * The tier puts every pair that shares a skill before every pair that is only related, in every list that
 * orders by score; the context factor (0.9 … 1.7) only reorders fits within a tier.
 */
import type { ExchangeMode, Role } from "~/lib/reference";

export const SCORE_WEIGHTS = {
  /** A need skill the offer has only a related skill of counts this much × the relation's weight of a shared one. */
  nearSkill: 0.5,
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
/** The same bound for strongly related skills, which weigh less and so need fewer candidates. */
export const CANDIDATES_PER_GROUP = 5;
/** A related skill of at least this weight is a fit on its own; weaker relations only add to a fit. */
export const STRONG_RELATION = 0.5;
/** Added to the score of a pair that shares a skill, so it ranks before every pair that is only related. */
export const EXACT_TIER = 1000;

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
  /** [need skill, the offer's closest related skill] for the need's skills the offer has only a related skill of, rarest first */
  near: [string, string][];
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
/**
 * The stored facts with the skills' labels in both languages, as the read APIs return them. A near entry's
 * offered skill is null in matches stored before relations named it (they said only which need skill was near).
 */
export type MatchReason = Omit<ReasonFacts, "shared" | "near"> & {
  shared: SkillFact[];
  near: { need: SkillFact; offer: SkillFact | null }[];
};

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

export type Related = { skill: string; weight: number };

export type Taxonomy = {
  /** rarity weight of a skill */
  idf: (skillId: string) => number;
  /** the skills related to a skill, closest first (equal weights by id), from skill_relations */
  related: (skillId: string) => readonly Related[];
};

export function inverseDocumentFrequency(visiblePosts: number, postsWithSkill: number): number {
  return Math.log((visiblePosts + 1) / (postsWithSkill + 1)) + 1;
}

export function freshness(ageDays: number): number {
  return Math.exp(-Math.max(0, ageDays) / SCORE_WEIGHTS.freshnessDays);
}

export function placeRelation(
  need: Pick<Side, "district" | "borough" | "remote">,
  offer: Pick<Side, "district" | "borough" | "remote">,
): PlaceRelation | null {
  if (need.borough && offer.borough) {
    if (need.district === offer.district) return "district";
    if (need.borough === offer.borough) return "borough";
    return "city";
  }
  if (need.remote || offer.remote) return "remote";
  return null;
}

export function exchangeRelation(
  need: ExchangeMode | null,
  offer: ExchangeMode | null,
): { relation: ExchangeRelation; agreed: ExchangeMode | null } {
  if (!need || !offer) return { relation: "unknown", agreed: null };
  if (need === offer) return { relation: "same", agreed: need };
  if (need === "open") return { relation: "open", agreed: offer };
  if (offer === "open") return { relation: "open", agreed: need };
  // paid work offered for a volunteer need (or the other way round) pulls apart
  if ((need === "paid" && offer === "volunteer") || (need === "volunteer" && offer === "paid"))
    return { relation: "conflict", agreed: null };
  return { relation: "other", agreed: null };
}

export function rolesComplement(needRole: Role | null, offerRole: Role | null): boolean {
  return Boolean(needRole && offerRole && COMPLEMENTARY_ROLES[needRole].includes(offerRole));
}

/** The closest of a skill's related skills that the offer has (the first in the relation's order), if any. */
export function closestRelated(skill: string, offered: ReadonlySet<string>, taxonomy: Taxonomy): Related | undefined {
  return taxonomy.related(skill).find((related) => offered.has(related.skill));
}

/**
 * The need's skills the offer has (shared) or has only a related skill of (near, with the closest one), rarest
 * first, their weight, and whether that is a fit at all.
 */
export function skillOverlap(needSkills: readonly string[], offerSkills: readonly string[], taxonomy: Taxonomy) {
  const offered = new Set(offerSkills);
  // rarest first; equally rare ones by id (numeric ids in number order), so the order is the same everywhere
  const byRarity = [...new Set(needSkills)].sort(
    (a, b) => taxonomy.idf(b) - taxonomy.idf(a) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0),
  );
  const shared = byRarity.filter((skill) => offered.has(skill));
  // an offered skill that is already a shared one does not count again as related to another need skill
  const needed = new Set(needSkills);
  const offeredOnly = new Set(offerSkills.filter((skill) => !needed.has(skill)));
  const near: { need: string; offer: string; weight: number }[] = [];
  for (const skill of byRarity) {
    if (offered.has(skill)) continue;
    const related = closestRelated(skill, offeredOnly, taxonomy);
    if (related) near.push({ need: skill, offer: related.skill, weight: related.weight });
  }
  const weight =
    shared.reduce((sum, skill) => sum + taxonomy.idf(skill), 0) +
    SCORE_WEIGHTS.nearSkill * near.reduce((sum, entry) => sum + entry.weight * taxonomy.idf(entry.need), 0);
  // Without a shared skill, strongly related skills must stand in for most of what is sought: an offer related to
  // only one of a need's two skills (a laser cutter for "pottery, workshop teaching") is not a fit.
  const strong = near.filter((entry) => entry.weight >= STRONG_RELATION).length;
  const fits = shared.length > 0 || strong * 2 > byRarity.length;
  return { shared, near, weight, fits };
}

export type ScoreComponents = {
  /** whether the pair shares a skill (the exact tier) */
  exact: boolean;
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
  return (components.exact ? EXACT_TIER : 0) + components.skillWeight * factor;
}

/** The whole rule for one pair: undefined when they must not or do not match. */
export function matchSides(need: Side, offer: Side, taxonomy: Taxonomy): { score: number; facts: ReasonFacts } | undefined {
  if (need.ownerId === offer.ownerId) return undefined;
  const overlap = skillOverlap(need.skillIds, offer.skillIds, taxonomy);
  if (!overlap.fits) return undefined;
  const place = placeRelation(need, offer);
  const exchange = exchangeRelation(need.exchangeMode, offer.exchangeMode);
  const complement = rolesComplement(need.role, offer.role);
  const score = scoreMatch({
    exact: overlap.shared.length > 0,
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
      near: overlap.near.map((entry): [string, string] => [entry.need, entry.offer]),
      place,
      district: place === "district" ? need.district : null,
      borough: place === "district" || place === "borough" ? need.borough : null,
      roles: complement && need.role && offer.role ? [need.role, offer.role] : null,
      exchange: exchange.agreed,
    },
  };
}

/**
 * The one order of matches everywhere (post page, /matches, digest): best score first — which puts shared skills
 * before related ones (EXACT_TIER) — and equal scores by the other side's key, so the order never depends on how
 * rows happened to be read. Mutual is shown as a badge, not ranked: a mutual match on a merely related skill must
 * not pass an exact one.
 */
export function compareMatches(a: { score: number; key: string }, b: { score: number; key: string }): number {
  return b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
