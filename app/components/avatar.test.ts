import { describe, expect, it } from "vitest";
import { avatarColour, initialsOf } from "./avatar";

describe("generated avatars", () => {
  it("takes the first letters of the first and last name, skipping titles", () => {
    expect(initialsOf("Lena Hoffmann")).toBe("LH");
    expect(initialsOf("Dr. Miriam Wolf")).toBe("MW");
    expect(initialsOf("Grace O'Neill")).toBe("GO");
    expect(initialsOf("Ümit")).toBe("Ü");
    expect(initialsOf("  ")).toBe("?");
  });

  it("gives the same person the same colour, and different people varied colours", () => {
    expect(avatarColour("42")).toBe(avatarColour("42"));
    const colours = new Set(Array.from({ length: 60 }, (_, index) => avatarColour(String(index + 1))));
    expect(colours.size).toBeGreaterThan(5);
  });
});
