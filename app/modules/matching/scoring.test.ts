import { describe, expect, it } from "vitest";
import { describeReason } from "./reasons";
import {
  compareMatches,
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

// 1000 open posts: "holzbau" in 5 of them, "website" in 400; "zimmerei" is holzbau's sibling.
const postsWithSkill: Record<string, number> = { holzbau: 5, cnc: 20, website: 400, zimmerei: 8, buchhaltung: 50 };
const groups: Record<string, string[]> = { holzbau: ["bau"], zimmerei: ["bau"], cnc: ["maschinen"] };
const taxonomy: Taxonomy = {
  idf: (skill) => inverseDocumentFrequency(1000, postsWithSkill[skill] ?? 0),
  groupsOf: (skill) => groups[skill] ?? [],
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
    expect(result?.facts.near).toEqual(["holzbau"]);
  });

  it("counts a sibling skill of the same group as a fraction of a shared one", () => {
    const exact = matchSides(need, side({ ownerId: "e", skillIds: ["holzbau"] }), taxonomy)!;
    const sibling = matchSides(need, side({ ownerId: "f", skillIds: ["zimmerei"] }), taxonomy)!;
    expect(sibling.score / exact.score).toBeCloseTo(SCORE_WEIGHTS.nearSkill, 6);
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
    expect(placeRelation({ district: "elsewhere", borough: null, remote: false }, { district: "elsewhere", borough: null, remote: false })).toBeNull();
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

  it("ranks mutual matches first, then by score", () => {
    const list = [
      { id: "a", mutual: false, score: 9 },
      { id: "b", mutual: true, score: 2 },
      { id: "c", mutual: false, score: 5 },
      { id: "d", mutual: true, score: 3 },
    ];
    expect(list.sort(compareMatches).map((item) => item.id)).toEqual(["d", "b", "a", "c"]);
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

  it("renders the facts in German and English", () => {
    expect(describeReason(reason, "de")).toBe("Teilt 2 Fähigkeiten: Holzbau, CNC-Fräsen · gleicher Stadtteil (Plagwitz) · ehrenamtlich");
    expect(describeReason(reason, "en")).toBe("Shares 2 skills: timber construction, CNC milling · same neighbourhood (Plagwitz) · volunteer");
  });

  it("names related skills, the borough, and complementary roles", () => {
    const text = describeReason(
      { ...reason, shared: [reason.shared[0]], near: [reason.shared[1]], place: "borough", district: null, roles: ["startup", "scientist"], exchange: null },
      "de",
    );
    expect(text).toBe("Teilt 1 Fähigkeit: Holzbau · verwandt: CNC-Fräsen · gleicher Stadtbezirk (Südwest) · Startup trifft Wissenschaft");
  });
});
