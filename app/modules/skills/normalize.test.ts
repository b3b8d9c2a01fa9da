import { describe, expect, it } from "vitest";
import { normalizeSkillLabel, slugify, splitSkillInput } from "./normalize";

describe("normalizeSkillLabel", () => {
  it("treats case, hyphens, spaces and accents as the same skill", () => {
    expect(normalizeSkillLabel("3d druck")).toBe(normalizeSkillLabel("3D-Druck"));
    expect(normalizeSkillLabel("Schweißen")).toBe("schweissen");
    expect(normalizeSkillLabel("Café-Betrieb")).toBe(normalizeSkillLabel("cafe betrieb"));
  });

  it("keeps the symbols that tell programming languages apart", () => {
    expect(normalizeSkillLabel("C#")).toBe("c#");
    expect(normalizeSkillLabel("C++")).toBe("c++");
    expect(normalizeSkillLabel("C#")).not.toBe(normalizeSkillLabel("C++"));
    expect(normalizeSkillLabel("C")).not.toBe(normalizeSkillLabel("C#"));
  });
});

describe("splitSkillInput", () => {
  it("splits on commas and drops duplicates that differ only in spelling", () => {
    expect(splitSkillInput("Holzbau, 3D-Druck; 3d druck ,  , holzbau")).toEqual(["Holzbau", "3D-Druck"]);
  });
});

describe("slugify", () => {
  it("makes readable ASCII slugs", () => {
    expect(slugify("Lehmbau / earth building")).toBe("lehmbau-earth-building");
    expect(slugify("Fördermittelakquise")).toBe("foerdermittelakquise");
    expect(slugify("C++")).toBe("cplusplus");
    expect(slugify("!!!")).toBe("skill");
  });
});
