import { describe, expect, it } from "vitest";
import { periodKey } from "./period";

describe("digest periods", () => {
  it("names ISO weeks in the configured time zone", () => {
    expect(periodKey(new Date("2026-11-23T07:00:00Z"), "weekly", "Europe/Berlin")).toBe("2026-W48");
    // Sunday 23:30 UTC is already Monday in Berlin: the next week.
    expect(periodKey(new Date("2026-11-29T23:30:00Z"), "weekly", "Europe/Berlin")).toBe("2026-W49");
    expect(periodKey(new Date("2026-11-29T23:30:00Z"), "weekly", "UTC")).toBe("2026-W48");
    expect(periodKey(new Date("2027-01-01T10:00:00Z"), "weekly", "Europe/Berlin")).toBe("2026-W53");
  });

  it("names days in the configured time zone", () => {
    expect(periodKey(new Date("2026-11-25T23:30:00Z"), "daily", "Europe/Berlin")).toBe("2026-11-26");
    expect(periodKey(new Date("2026-11-25T23:30:00Z"), "daily", "UTC")).toBe("2026-11-25");
  });
});
