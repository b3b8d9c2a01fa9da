import { describe, expect, it } from "vitest";
import { splitSkillList } from "./skill-picker";

describe("the skill picker's comma list", () => {
  it("drops empty parts, a trailing comma and repeats, and keeps the order", () => {
    expect(splitSkillList("Holzbau, 3D-Druck, ")).toEqual(["Holzbau", "3D-Druck"]);
    expect(splitSkillList(" ,Tischlerei,,tischlerei , Keramik")).toEqual(["Tischlerei", "Keramik"]);
    expect(splitSkillList("")).toEqual([]);
  });
});
