import { describe, expect, it } from "vitest";
import { cleanQuery, parseSearchParams, phraseKey, phraseKeysInAnyOrder, queryTokens, searchHref } from "./query";

describe("cleanQuery", () => {
  it("caps length, drops control characters and squeezes spaces", () => {
    expect(cleanQuery("x".repeat(10_000))).toHaveLength(200);
    expect(cleanQuery("  Holz\u0000bau\u0007 \n\t C#  ")).toBe("Holz bau C#");
    expect(cleanQuery("\u200b\u202e")).toBe("");
    expect(cleanQuery(null)).toBe("");
  });
});

describe("queryTokens", () => {
  it("keeps symbols in keys and words for full text", () => {
    expect(queryTokens("3D-Druck C# c++ Werkstätten")).toEqual([
      { text: "3D-Druck", key: "3ddruck", words: ["3d", "druck"], symbolic: false },
      { text: "C#", key: "c#", words: ["c"], symbolic: true },
      { text: "c++", key: "c++", words: ["c"], symbolic: true },
      { text: "Werkstätten", key: "werkstatten", words: ["werkstätten"], symbolic: false },
    ]);
  });

  it("ignores punctuation-only and repeated tokens and keeps at most 8", () => {
    expect(queryTokens("' ; -- Holz holz HOLZ").map((token) => token.key)).toEqual(["holz"]);
    expect(queryTokens("a b c d e f g h i j")).toHaveLength(8);
  });

  it("joins a multi-word query into one skill key", () => {
    expect(phraseKey(queryTokens("timber construction"))).toBe("timberconstruction");
    expect(phraseKey(queryTokens("Holzbau"))).toBeUndefined();
  });

  it("reads a phrase of up to four tokens in every word order, the typed order first", () => {
    expect(phraseKeysInAnyOrder(queryTokens("design clothing"))).toEqual(["designclothing", "clothingdesign"]);
    expect(phraseKeysInAnyOrder(queryTokens("a b c"))).toHaveLength(6);
    expect(phraseKeysInAnyOrder(queryTokens("a b c d e"))).toEqual(["abcde"]);
    expect(phraseKeysInAnyOrder(queryTokens("Holzbau"))).toEqual([]);
  });
});

describe("parseSearchParams", () => {
  it("keeps known values and drops the rest", () => {
    const params = parseSearchParams(
      new URLSearchParams(
        "q=Holz&kind=offer&kind=evil&category=space&district=Plagwitz&district=Atlantis&borough=Süd&skill=12&skill=1;drop&mode=barter&remote=1&sort=newest&page=3",
      ),
    );
    expect(params).toEqual({
      tab: "posts",
      query: "Holz",
      filters: {
        kind: ["offer"],
        category: ["space"],
        role: [],
        borough: ["Süd"],
        district: ["Plagwitz"],
        skill: ["12"],
        mode: ["barter"],
        remote: true,
      },
      sort: "newest",
      page: 3,
    });
  });

  it("defaults safely and has no post-only facets on the people tab", () => {
    const params = parseSearchParams(new URLSearchParams("tab=people&kind=offer&page=-4&sort=weird"));
    expect(params.tab).toBe("people");
    expect(params.filters.kind).toBeUndefined();
    expect(params.page).toBe(1);
    expect(params.sort).toBe("relevance");
    expect(parseSearchParams(new URLSearchParams("page=999999")).page).toBe(100);
    expect(parseSearchParams(new URLSearchParams("page=abc")).page).toBe(1);
  });

  it("round-trips through searchHref", () => {
    const href = searchHref({
      tab: "people",
      query: "C# & Co",
      filters: { role: ["artist"], skill: ["5"], remote: true },
      sort: "newest",
      page: 2,
    });
    expect(href).toBe("/search?q=C%23+%26+Co&tab=people&role=artist&skill=5&remote=1&sort=newest&page=2");
    const parsed = parseSearchParams(new URL(href, "http://x").searchParams);
    expect(parsed).toMatchObject({ tab: "people", query: "C# & Co", sort: "newest", page: 2 });
    expect(parsed.filters).toMatchObject({ role: ["artist"], skill: ["5"], remote: true });
    expect(searchHref({ tab: "posts" })).toBe("/search");
  });
});
