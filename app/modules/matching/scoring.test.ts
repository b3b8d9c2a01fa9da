import { describe, expect, it } from "vitest";
import { describeReason } from "./reasons";
import {
  compareMatches,
  EXACT_TIER,
  exchangeRelation,
  inverseDocumentFrequency,
  matchSides,
  placeRelation,
  rolesComplement,
  SCORE_WEIGHTS,
  type MatchReason,
  type Side,
  type Taxonomy,
} from "./scoring";

// 1000 open posts: "holzbau" in 5 of them, "website" in 400. Zimmerei is strongly related to Holzbau (0.8),
// Holzbearbeitung only weakly (0.4): enough to name beside a fit, not a fit on its own.
const postsWithSkill: Record<string, number> = { holzbau: 5, cnc: 20, website: 400, zimmerei: 8, buchhaltung: 50, holzbearbeitung: 30 };
const relations: Record<string, { skill: string; weight: number }[]> = {
  holzbau: [
    { skill: "zimmerei", weight: 0.8 },
    { skill: "holzbearbeitung", weight: 0.4 },
  ],
  zimmerei: [{ skill: "holzbau", weight: 0.8 }],
  holzbearbeitung: [{ skill: "holzbau", weight: 0.4 }],
  cnc: [{ skill: "3d-druck", weight: 0.6 }],
  "3d-druck": [{ skill: "cnc", weight: 0.6 }],
  website: [{ skill: "webdesign", weight: 0.7 }],
  webdesign: [{ skill: "website", weight: 0.7 }],
};
const taxonomy: Taxonomy = {
  idf: (skill) => inverseDocumentFrequency(1000, postsWithSkill[skill] ?? 0),
  related: (skill) => relations[skill] ?? [],
};

function side(overrides: Partial<Side>): Side {
  return {
    ownerId: "1",
    skillIds: [],
    district: "Plagwitz",
    borough: "Südwest",
    remote: false,
    exchangeMode: "paid",
    role: "craftsperson",
    ageDays: 0,
    ...overrides,
  };
}

describe("matchSides", () => {
  const need = side({ ownerId: "need", skillIds: ["holzbau", "website"] });

  it("ranks an offer sharing a rare skill above one sharing a common skill", () => {
    const rare = matchSides(need, side({ ownerId: "a", skillIds: ["holzbau"] }), taxonomy);
    const common = matchSides(need, side({ ownerId: "b", skillIds: ["website"] }), taxonomy);
    expect(rare && common).toBeTruthy();
    expect(rare!.score).toBeGreaterThan(common!.score);
  });

  it("never matches one's own post or profile", () => {
    expect(matchSides(need, side({ ownerId: "need", skillIds: ["holzbau", "website"] }), taxonomy)).toBeUndefined();
  });

  it("does not match without a shared or related skill, however close the places are", () => {
    expect(matchSides(need, side({ ownerId: "c", skillIds: ["buchhaltung"] }), taxonomy)).toBeUndefined();
  });

  it("lists exactly the need's shared skills, rarest first, and related ones apart", () => {
    const result = matchSides(
      side({ ownerId: "need", skillIds: ["website", "cnc", "holzbau", "buchhaltung"] }),
      side({ ownerId: "d", skillIds: ["website", "zimmerei", "cnc", "3d-druck"] }),
      taxonomy,
    );
    expect(result?.facts.shared).toEqual(["cnc", "website"]);
    // the need's skill and the offer's related one that fits it
    expect(result?.facts.near).toEqual([["holzbau", "zimmerei"]]);
  });

  it("counts a related skill as a fraction (× its weight) of a shared one, and every exact fit before it", () => {
    const holzbau = side({ ownerId: "need", skillIds: ["holzbau"] });
    const exact = matchSides(holzbau, side({ ownerId: "e", skillIds: ["holzbau"] }), taxonomy)!;
    const related = matchSides(holzbau, side({ ownerId: "f", skillIds: ["zimmerei"] }), taxonomy)!;
    expect(related.score / (exact.score - EXACT_TIER)).toBeCloseTo(SCORE_WEIGHTS.nearSkill * 0.8, 6);
    // the most common shared skill, far away, still ranks before the closest related one next door
    const commonFarAway = matchSides(
      need,
      side({ ownerId: "g", skillIds: ["website"], district: "elsewhere", borough: null, ageDays: 300 }),
      taxonomy,
    )!;
    const relatedToBoth = matchSides(need, side({ ownerId: "f", skillIds: ["zimmerei", "webdesign"] }), taxonomy)!;
    expect(commonFarAway.score).toBeGreaterThan(related.score);
    expect(commonFarAway.score).toBeGreaterThan(relatedToBoth.score);
  });

  it("without a shared skill, strong relations must stand in for more than half of the need's skills", () => {
    // related to one of two needed skills: not a fit (a laser cutter for "pottery, workshop teaching")
    expect(matchSides(need, side({ ownerId: "f", skillIds: ["zimmerei"] }), taxonomy)).toBeUndefined();
    // related to the only needed skill: a fit
    expect(
      matchSides(side({ ownerId: "need", skillIds: ["holzbau"] }), side({ ownerId: "f", skillIds: ["zimmerei"] }), taxonomy),
    ).toBeDefined();
    // related to two of three: a fit; to one of three: not
    const three = side({ ownerId: "need", skillIds: ["holzbau", "cnc", "buchhaltung"] });
    expect(matchSides(three, side({ ownerId: "f", skillIds: ["zimmerei", "3d-druck"] }), taxonomy)).toBeDefined();
    expect(matchSides(three, side({ ownerId: "f", skillIds: ["zimmerei"] }), taxonomy)).toBeUndefined();
    // a shared skill is always a fit
    expect(matchSides(three, side({ ownerId: "f", skillIds: ["buchhaltung"] }), taxonomy)).toBeDefined();
  });

  it("does not count an offered skill again as related once it is shared", () => {
    const both = side({ ownerId: "need", skillIds: ["holzbau", "zimmerei"] });
    const result = matchSides(both, side({ ownerId: "i", skillIds: ["holzbau"] }), taxonomy)!;
    expect(result.facts).toMatchObject({ shared: ["holzbau"], near: [] });
  });

  it("needs a shared skill or a strongly related one: a weak relation only adds to a fit", () => {
    expect(matchSides(need, side({ ownerId: "h", skillIds: ["holzbearbeitung"] }), taxonomy)).toBeUndefined();
    const both = matchSides(need, side({ ownerId: "h", skillIds: ["holzbearbeitung", "website"] }), taxonomy)!;
    const websiteOnly = matchSides(need, side({ ownerId: "h", skillIds: ["website"] }), taxonomy)!;
    expect(both.facts.near).toEqual([["holzbau", "holzbearbeitung"]]);
    expect(both.score).toBeGreaterThan(websiteOnly.score);
  });

  it("prefers the same Ortsteil over the same Stadtbezirk over the same city over remote", () => {
    const at = (district: string | null, borough: string | null, remote = false) =>
      matchSides(need, side({ ownerId: "g", skillIds: ["holzbau"], district, borough, remote }), taxonomy)!.score;
    const sameDistrict = at("Plagwitz", "Südwest");
    const sameBorough = at("Schleußig", "Südwest");
    const sameCity = at("Connewitz", "Süd");
    const remote = at(null, null, true);
    const nowhere = at("elsewhere", null);
    expect(sameDistrict).toBeGreaterThan(sameBorough);
    expect(sameBorough).toBeGreaterThan(sameCity);
    expect(sameCity).toBeGreaterThan(remote);
    expect(remote).toBeGreaterThan(nowhere);
  });

  it("rewards complementary roles, fresh posts and compatible exchange modes", () => {
    const offer = side({ ownerId: "h", skillIds: ["holzbau"], role: "scientist" });
    const startupNeed = side({ ownerId: "s", skillIds: ["holzbau"], role: "startup" });
    const peerNeed = side({ ownerId: "s", skillIds: ["holzbau"], role: "scientist" });
    expect(matchSides(startupNeed, offer, taxonomy)!.score).toBeGreaterThan(matchSides(peerNeed, offer, taxonomy)!.score);
    expect(matchSides(startupNeed, offer, taxonomy)!.facts.roles).toEqual(["startup", "scientist"]);

    const old = side({ ownerId: "h", skillIds: ["holzbau"], ageDays: 80 });
    expect(matchSides(need, offer, taxonomy)!.score).toBeGreaterThan(matchSides(need, { ...old, role: "scientist" }, taxonomy)!.score);

    const volunteer = side({ ownerId: "h", skillIds: ["holzbau"], exchangeMode: "volunteer" });
    const open = side({ ownerId: "h", skillIds: ["holzbau"], exchangeMode: "open" });
    expect(matchSides(need, open, taxonomy)!.score).toBeGreaterThan(matchSides(need, volunteer, taxonomy)!.score);
    expect(matchSides(need, open, taxonomy)!.facts.exchange).toBe("paid");
    expect(matchSides(need, volunteer, taxonomy)!.facts.exchange).toBeNull();
  });
});

describe("the small rules", () => {
  it("tells place relations apart", () => {
    const plagwitz = { district: "Plagwitz", borough: "Südwest", remote: false };
    expect(placeRelation(plagwitz, plagwitz)).toBe("district");
    expect(placeRelation(plagwitz, { district: "Schleußig", borough: "Südwest", remote: false })).toBe("borough");
    expect(placeRelation(plagwitz, { district: "Gohlis-Süd", borough: "Nord", remote: false })).toBe("city");
    expect(placeRelation(plagwitz, { district: null, borough: null, remote: true })).toBe("remote");
    expect(
      placeRelation({ district: "elsewhere", borough: null, remote: false }, { district: "elsewhere", borough: null, remote: false }),
    ).toBeNull();
  });

  it("knows which exchange modes go together", () => {
    expect(exchangeRelation("volunteer", "volunteer")).toEqual({ relation: "same", agreed: "volunteer" });
    expect(exchangeRelation("open", "barter")).toEqual({ relation: "open", agreed: "barter" });
    expect(exchangeRelation("paid", "volunteer")).toEqual({ relation: "conflict", agreed: null });
    expect(exchangeRelation("barter", "paid")).toEqual({ relation: "other", agreed: null });
    expect(exchangeRelation(null, "paid")).toEqual({ relation: "unknown", agreed: null });
  });

  it("treats a startup's need and a scientist's or craftsperson's offer as complementary, peers not", () => {
    expect(rolesComplement("startup", "scientist")).toBe(true);
    expect(rolesComplement("startup", "craftsperson")).toBe(true);
    expect(rolesComplement("startup", "startup")).toBe(false);
    expect(rolesComplement(null, "scientist")).toBe(false);
  });

  it("orders by score, equal scores by key, whatever order they came in", () => {
    const list = [
      { key: "p2", score: 3 },
      { key: "p9", score: EXACT_TIER + 1 },
      { key: "u1", score: 3 },
      { key: "p1", score: 3 },
    ];
    const expected = ["p9", "p1", "p2", "u1"];
    expect([...list].sort(compareMatches).map((item) => item.key)).toEqual(expected);
    expect(
      [...list]
        .reverse()
        .sort(compareMatches)
        .map((item) => item.key),
    ).toEqual(expected);
  });
});

describe("describeReason", () => {
  const reason: MatchReason = {
    shared: [
      { id: "1", slug: "holzbau", label_de: "Holzbau", label_en: "timber construction" },
      { id: "2", slug: "cnc", label_de: "CNC-Fräsen", label_en: "CNC milling" },
    ],
    near: [],
    place: "district",
    district: "Plagwitz",
    borough: "Südwest",
    roles: null,
    exchange: "volunteer",
  };

  it("says what the other side brings, in German and English, from the reader's side", () => {
    expect(describeReason(reason, "de", "need")).toBe("bietet Holzbau, CNC-Fräsen · gleicher Stadtteil (Plagwitz) · ehrenamtlich");
    expect(describeReason(reason, "en", "need")).toBe(
      "offers timber construction, CNC milling · same neighbourhood (Plagwitz) · volunteer",
    );
    expect(describeReason(reason, "de", "offer")).toBe("sucht Holzbau, CNC-Fräsen · gleicher Stadtteil (Plagwitz) · ehrenamtlich");
  });

  it("names the related skill the other side has and the one it is related to, the borough and complementary roles", () => {
    const printing = { id: "3", slug: "3d-druck", label_de: "3D-Druck", label_en: "3D printing" };
    const laser = { id: "4", slug: "laserschneiden", label_de: "Laserschneiden", label_en: "laser cutting" };
    const related = {
      ...reason,
      shared: [],
      near: [{ need: printing, offer: laser }],
      place: "borough" as const,
      district: null,
      roles: ["startup", "scientist"] as ["startup", "scientist"],
      exchange: null,
    };
    expect(describeReason(related, "de", "need")).toBe(
      "bietet Laserschneiden – verwandt mit 3D-Druck · gleicher Stadtbezirk (Südwest) · Startup trifft Wissenschaft",
    );
    expect(describeReason(related, "en", "need")).toBe(
      "offers laser cutting – related to 3D printing · same borough (Südwest) · Startup meets Science",
    );
    expect(describeReason(related, "de", "offer")).toBe(
      "sucht 3D-Druck – verwandt mit Laserschneiden · gleicher Stadtbezirk (Südwest) · Startup trifft Wissenschaft",
    );
    // matches stored before the relation named the offered skill
    expect(describeReason({ ...reason, shared: [], near: [{ need: printing, offer: null }] }, "de", "need")).toBe(
      "verwandt: 3D-Druck · gleicher Stadtteil (Plagwitz) · ehrenamtlich",
    );
  });
});
