import { describe, expect, it } from "vitest";
import { keyTsquery, skillsTsquery, tokenTsquery, wordTsquery } from "./tsquery";
import { bestCorrections, deletionVariants, editDistance, foldWord } from "./typos";

const candidate = (word: string, labels = 1) => ({ word, spelling: word, labels, de: word, en: word });

describe("typo correction", () => {
  it("counts one edit for a letter missing, extra, replaced or swapped, anywhere", () => {
    expect(editDistance("fnster", "fenster")).toBe(1);
    expect(editDistance("efnster", "fenster")).toBe(1);
    expect(editDistance("xenster", "fenster")).toBe(1);
    expect(editDistance("fensetr", "fenster")).toBe(1);
    expect(editDistance("fenstre", "fenster")).toBe(1);
    expect(editDistance("fnstre", "fenster")).toBe(2);
    expect(editDistance("abc", "abcdefgh", 2)).toBe(3);
  });

  it("shares a one-letter-deleted variant between any two words one edit apart", () => {
    const shares = (a: string, b: string) => deletionVariants(a).some((variant) => deletionVariants(b).includes(variant));
    for (const typo of ["fnster", "efnster", "xenster", "fensetr", "fensterr"]) expect(shares(typo, "fenster"), typo).toBe(true);
    expect(deletionVariants("aab")).toEqual(["aab", "ab", "aa"]);
  });

  it("picks the candidates with the fewest edits, never a stop word", () => {
    expect(bestCorrections("fnster", [candidate("fenster"), candidate("foster"), candidate("finster")]).map((c) => c.word)).toEqual([
      "fenster",
      "foster",
      "finster",
    ]);
    expect(bestCorrections("holzbearbetng", [candidate("holzbearbeitung"), candidate("holzbearbeiter")]).map((c) => c.word)).toEqual([
      "holzbearbeitung",
    ]);
    expect(bestCorrections("abnd", [{ ...candidate("and"), de: null, en: null }])).toEqual([]);
    expect(bestCorrections("keramik", [candidate("keramik")])).toEqual([]);
    expect(bestCorrections("kurs", [candidate("kunst")])).toEqual([]);
  });

  it("folds words the way the word list spells them", () => {
    expect(foldWord("Gemüse")).toBe("gemuse");
    expect(foldWord("Straße")).toBe("strasse");
  });
});

describe("tsquery text", () => {
  it("matches a word by either language's stem, the last one typed also as a prefix", () => {
    expect(wordTsquery({ de: ["holzbau"], en: ["holzbau"] }, false)).toBe("'holzbau'");
    expect(wordTsquery({ de: ["werkstatt"], en: ["werkstätten"] }, true)).toBe("('werkstatt':* | 'werkstätten':*)");
    expect(wordTsquery({ de: [], en: [] }, true)).toBe("");
  });

  it("quotes keys and ids, so query text is never tsquery syntax", () => {
    expect(keyTsquery("c#")).toBe("'k:c#'");
    expect(keyTsquery("a'b:c|d")).toBe("'k:abcd'");
    expect(skillsTsquery(["1", "2) | (3", "4"])).toBe("('s:1' | 's:4')");
  });

  it("makes a token of stop words neutral and a symbolic token match by key only", () => {
    expect(tokenTsquery({ words: [{ de: [], en: [] }], key: "und", symbolic: false, prefix: false, skillIds: [] })).toBe("");
    expect(tokenTsquery({ words: [{ de: ["c"], en: ["c"] }], key: "c#", symbolic: true, prefix: false, skillIds: ["7"] })).toBe(
      "('k:c#' | 's:7')",
    );
    expect(
      tokenTsquery({
        words: [
          { de: ["3d"], en: ["3d"] },
          { de: ["druck"], en: ["druck"] },
        ],
        key: "3ddruck",
        symbolic: false,
        prefix: false,
        skillIds: [],
      }),
    ).toBe("(('3d' & 'druck') | 'k:3ddruck')");
  });
});
