import { describe, expect, it } from "vitest";
import { highlight, snippet } from "./highlight";
import { queryTokens } from "../query";

const marked = (segments: { text: string; mark?: boolean }[]) => segments.filter((segment) => segment.mark).map((segment) => segment.text);

describe("highlight", () => {
  it("marks prefixes, other endings and small typos, ignoring case and accents", () => {
    expect(marked(highlight("Offene Werkstatt für Holzbau", queryTokens("werkstätten holz")))).toEqual(["Werkstatt", "Holzbau"]);
    expect(marked(highlight("Kurs Holzbearbeitung, Holzbau", queryTokens("Holzbearbeitng")))).toEqual(["Holzbearbeitung"]);
    expect(marked(highlight("Café im Zentrum", queryTokens("cafe")))).toEqual(["Café"]);
  });

  it("marks symbol words only for the same symbol", () => {
    const text = "C# und C++ Entwicklung";
    expect(marked(highlight(text, queryTokens("C#")))).toEqual(["C#"]);
    expect(marked(highlight(text, queryTokens("c++")))).toEqual(["C++"]);
  });

  it("keeps the text intact, including markup-looking user text", () => {
    const text = "<script>alert('Holz')</script> & mehr";
    const segments = highlight(text, queryTokens("Holz"));
    expect(segments.map((segment) => segment.text).join("")).toBe(text);
    expect(marked(segments)).toEqual(["Holz"]);
    expect(highlight("Holz", [])).toEqual([{ text: "Holz" }]);
  });
});

describe("snippet", () => {
  it("cuts a long text around the first match", () => {
    const text = `${"Einleitung ".repeat(40)}Wir haben eine CNC-Fräse und ${"Schluss ".repeat(40)}`;
    const segments = snippet(text, queryTokens("Fräse"), 120);
    const joined = segments.map((segment) => segment.text).join("");
    expect(joined.startsWith("… ")).toBe(true);
    expect(joined.endsWith(" …")).toBe(true);
    expect(joined.length).toBeLessThanOrEqual(126);
    expect(marked(segments)).toEqual(["Fräse"]);
  });

  it("returns short texts whole", () => {
    expect(snippet("kurz", queryTokens("x"))).toEqual([{ text: "kurz" }]);
  });
});
