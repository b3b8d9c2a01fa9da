import { describe, expect, it } from "vitest";
import { EXCHANGE_MODES, ROLES } from "~/lib/reference";
import { computeAllMatches, countSkillsOfPosts, createScorer, factsJson, type MatchSide, type MatchTaxonomy } from "./engine";
import { freshness, inverseDocumentFrequency, matchSides, type Side, type Taxonomy } from "./scoring";

/** A small deterministic random generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const PLACES: [string | null, string | null][] = [
  ["Plagwitz", "Südwest"],
  ["Schleußig", "Südwest"],
  ["Connewitz", "Süd"],
  ["elsewhere", null],
  [null, null],
];

function world(seed: number, sideCount: number, skillCount: number) {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  // skills 1..skillCount; related pairs (both directions), strong (≥ 0.5, a fit alone) and weak (only adds)
  const pairs: [number, number, number][] = [
    [1, 2, 0.8],
    [1, 3, 0.4],
    [3, 4, 0.6],
    [4, 5, 0.4],
    [5, 6, 0.5],
    [10, 11, 0.5],
    [10, 12, 0.5],
    [11, 12, 0.6],
  ];
  const related = new Map<number, { skill: number; weight: number }[]>();
  for (const [a, b, weight] of pairs) {
    related.set(a, [...(related.get(a) ?? []), { skill: b, weight }]);
    related.set(b, [...(related.get(b) ?? []), { skill: a, weight }]);
  }
  for (const list of related.values()) list.sort((x, y) => y.weight - x.weight || x.skill - y.skill);
  const sides: MatchSide[] = [];
  for (let i = 0; i < sideCount; i++) {
    const isPost = next() < 0.8;
    const [district, borough] = pick(PLACES);
    const skills = [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => 1 + Math.floor(next() * skillCount)))];
    const ageDays = Math.floor(next() * 120);
    sides.push({
      kind: next() < 0.5 ? "need" : "offer",
      postId: isPost ? String(1000 + i) : null,
      userId: String(1 + Math.floor(next() * (sideCount / 3))),
      district,
      borough,
      remote: next() < 0.2,
      exchangeMode: isPost ? pick(EXCHANGE_MODES) : null,
      role: next() < 0.1 ? null : pick(ROLES),
      fresh: freshness(ageDays),
      recency: isPost ? 1000 + i : 5000 - ageDays,
      skills,
    });
  }
  // A person has one need side and one offer side at most.
  const seen = new Set<string>();
  const unique = sides.filter((side) => {
    const key = side.postId ?? `${side.kind}${side.userId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const { posts, postsWithSkill } = countSkillsOfPosts(unique);
  const taxonomy: MatchTaxonomy = {
    idf: (skill) => inverseDocumentFrequency(posts, postsWithSkill.get(skill) ?? 0),
    related: (skill) => ({
      skills: (related.get(skill) ?? []).map((entry) => entry.skill),
      weights: (related.get(skill) ?? []).map((entry) => entry.weight),
    }),
  };
  // The same world as scoring.ts sees it: string ids, ages instead of freshness.
  const reference: Taxonomy = {
    idf: (skill) => taxonomy.idf(Number(skill)),
    related: (skill) => (related.get(Number(skill)) ?? []).map((entry) => ({ skill: String(entry.skill), weight: entry.weight })),
  };
  const asSide = (side: MatchSide): Side => ({
    ownerId: side.userId,
    skillIds: side.skills.map(String),
    district: side.district,
    borough: side.borough,
    remote: side.remote,
    exchangeMode: side.exchangeMode,
    role: side.role,
    ageDays: -Math.log(side.fresh) * 90,
  });
  return { sides: unique, taxonomy, reference, asSide, related };
}

describe("matching engine", () => {
  it("scores and explains every pair exactly as matchSides does", () => {
    const { sides, taxonomy, reference, asSide, related } = world(7, 120, 14);
    const scorer = createScorer(sides, taxonomy);
    let compared = 0;
    let relatedOnly = 0;
    let weakOnlyRejected = 0;
    for (const need of sides.filter((side) => side.kind === "need")) {
      for (const offer of sides.filter((side) => side.kind === "offer")) {
        const expected = matchSides(asSide(need), asSide(offer), reference);
        const score = scorer.score(need, offer);
        // a pair only weakly related (every relation < 0.5) and sharing nothing must not match
        if (
          !expected &&
          need.userId !== offer.userId &&
          need.skills.some((skill) => (related.get(skill) ?? []).some((entry) => offer.skills.includes(entry.skill)))
        ) {
          weakOnlyRejected++;
        }
        if (!expected) {
          expect(score).toBeUndefined();
          continue;
        }
        compared++;
        if (expected.facts.shared.length === 0) relatedOnly++;
        expect(score).toBeCloseTo(expected.score, 9);
        const facts = scorer.facts(need, offer);
        expect(facts).toEqual({
          ...expected.facts,
          shared: expected.facts.shared.map(Number),
          near: expected.facts.near.map(([need, offer]) => [Number(need), Number(offer)]),
        });
        expect(JSON.parse(factsJson(facts))).toEqual(facts);
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(relatedOnly).toBeGreaterThan(10);
    expect(weakOnlyRejected).toBeGreaterThan(0);
  });

  it("keeps, below the candidate bounds, exactly each side's best partners of each type, and marks mutual pairs", () => {
    const { sides, taxonomy, reference, asSide } = world(11, 90, 12);
    const limits = { kept: 3, perSkill: 1000, perGroup: 1000 };
    const blocks: [string, string][] = [[sides[0]!.userId, sides[1]!.userId]];
    const result = computeAllMatches(sides, taxonomy, blocks, limits);

    // Brute force: every pair, each side's top 3 per partner type (post / person).
    const blocked = (a: string, b: string) => blocks.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
    const pairs: { need: number; offer: number; score: number }[] = [];
    sides.forEach((need, n) => {
      if (need.kind !== "need") return;
      sides.forEach((offer, o) => {
        if (offer.kind !== "offer" || blocked(need.userId, offer.userId)) return;
        const match = matchSides(asSide(need), asSide(offer), reference);
        if (match) pairs.push({ need: n, offer: o, score: match.score });
      });
    });
    const kept = new Set<string>();
    const lists = new Map<string, typeof pairs>();
    for (const pair of pairs) {
      for (const [side, partner] of [
        [pair.need, pair.offer],
        [pair.offer, pair.need],
      ]) {
        const key = `${side}:${sides[partner!]!.postId ? "post" : "person"}`;
        lists.set(key, [...(lists.get(key) ?? []), { ...pair, offer: pair.offer, need: pair.need, score: pair.score }]);
      }
    }
    for (const [key, list] of lists) {
      const side = Number(key.split(":")[0]);
      list
        .sort((a, b) => b.score - a.score || (a.need === side ? a.offer - b.offer : a.need - b.need))
        .slice(0, 3)
        .forEach((pair) => kept.add(`${pair.need}:${pair.offer}`));
    }

    const got = new Set(Array.from({ length: result.count }, (_, i) => `${result.need[i]}:${result.offer[i]}`));
    expect(got.size).toBe(result.count);
    expect([...got].sort()).toEqual([...kept].sort());
    expect(result.pairsScored).toBe(pairs.length);

    const owners = new Set(
      [...got].map((pair) => pair.split(":").map(Number)).map(([n, o]) => `${sides[n!]!.userId}:${sides[o!]!.userId}`),
    );
    for (let i = 0; i < result.count; i++) {
      const need = sides[result.need[i]!];
      const offer = sides[result.offer[i]!];
      expect(result.mutual[i] === 1).toBe(owners.has(`${offer!.userId}:${need!.userId}`));
      expect(blocked(need!.userId, offer!.userId)).toBe(false);
    }
    expect([...result.mutual].some((flag) => flag === 1)).toBe(true);
  });

  it("meets only the newest sides of a common skill, and they meet everyone", () => {
    // 30 needs and 30 offers share skill 1; with a bound of 5, the 5 newest offers meet every need and the
    // 5 newest needs meet every offer, but two old ones never meet.
    const side = (kind: "need" | "offer", i: number): MatchSide => ({
      kind,
      postId: String(kind === "need" ? i : 100 + i),
      userId: `${kind}${i}`,
      district: null,
      borough: null,
      remote: true,
      exchangeMode: "open",
      role: null,
      fresh: 1,
      recency: kind === "need" ? i : 100 + i,
      skills: [1],
    });
    const sides = [...Array.from({ length: 30 }, (_, i) => side("need", i)), ...Array.from({ length: 30 }, (_, i) => side("offer", i))];
    const taxonomy: MatchTaxonomy = { idf: () => 1, related: () => ({ skills: [], weights: [] }) };
    const result = computeAllMatches(sides, taxonomy, [], { kept: 100, perSkill: 5, perGroup: 5 });
    const pairs = new Set(
      Array.from({ length: result.count }, (_, i) => `${sides[result.need[i]!]!.postId}:${sides[result.offer[i]!]!.postId}`),
    );
    expect(pairs.has("29:129")).toBe(true); // newest with newest
    expect(pairs.has("0:129")).toBe(true); // an old need meets the newest offer
    expect(pairs.has("29:100")).toBe(true); // the newest need meets an old offer
    expect(pairs.has("0:100")).toBe(false); // two old ones do not meet
    expect(result.pairsScored).toBe(30 * 30 - 25 * 25);
  });
});
