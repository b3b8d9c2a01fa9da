import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { horizontalBarChart, niceTicks } from "./chart";
import { escapeXml } from "~/lib/xml";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["g", "rect", "text", "line"].includes(name),
});

const input = {
  id: "gap",
  title: "Largest gaps",
  description: "Needs against offers per skill",
  valueAxisLabel: "Open posts",
  series: [
    { label: "Needs", color: "var(--amber)" },
    { label: "Offers", color: "var(--green)" },
  ],
  groups: [
    { label: "Lehmbau", values: [8, 2] },
    { label: "Solar", values: [4, 0] },
  ],
};

describe("niceTicks", () => {
  it("steps by 1, 2 or 5 times a power of ten and reaches the maximum", () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(8)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(9)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(42)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(niceTicks(130)).toEqual([0, 50, 100, 150]);
  });
});

describe("horizontalBarChart", () => {
  it("is well-formed SVG with an accessible name and description", () => {
    const svg = horizontalBarChart(input);
    expect(XMLValidator.validate(svg)).toBe(true);
    const root = parser.parse(svg).svg;
    expect(root.role).toBe("img");
    expect(root["aria-labelledby"]).toBe("gap-title gap-desc");
    expect(root.title["#text"]).toBe("Largest gaps");
    expect(root.title.id).toBe("gap-title");
    expect(root.desc["#text"]).toBe("Needs against offers per skill");
  });

  it("draws one bar per group and series, with lengths proportional to the values", () => {
    const root = parser.parse(horizontalBarChart(input)).svg;
    const groups = root.g as { rect: { width: string; style: string }[]; title: string; text: (string | { "#text": string })[] }[];
    expect(groups).toHaveLength(2);
    const [lehmbau, solar] = groups;
    expect(lehmbau!.rect.map((rect) => rect.style)).toEqual(["fill:var(--amber)", "fill:var(--green)"]);
    const eight = Number(lehmbau!.rect[0]!.width);
    expect(Number(lehmbau!.rect[1]!.width)).toBeCloseTo(eight / 4, 0);
    expect(Number(solar!.rect[0]!.width)).toBeCloseTo(eight / 2, 0);
    expect(Number(solar!.rect[1]!.width)).toBe(0);
    expect(lehmbau!.title).toBe("Lehmbau: Needs 8, Offers 2");
  });

  it("labels the value axis and uses theme colours only", () => {
    const svg = horizontalBarChart(input);
    expect(svg).toContain(">Open posts</text>");
    expect(svg).not.toMatch(/#[0-9a-f]{3,6}\b/i);
    expect(svg).toContain('fill="currentColor"');
  });

  it("escapes labels so user-defined skill names cannot inject markup", () => {
    const svg = horizontalBarChart({ ...input, groups: [{ label: `<script>alert("x")</script> & Co`, values: [1, 1] }] });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain("<script>");
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
    expect(escapeXml("a\u0000b\u000Bc\uD800d\tü😀")).toBe("abcd\tü😀");
  });

  it("shortens long labels on the axis but keeps them whole in the group title", () => {
    const long = "Entwicklung von Fördermittelanträgen für Genossenschaften";
    const root = parser.parse(horizontalBarChart({ ...input, groups: [{ label: long, values: [2, 1] }] })).svg;
    const group = root.g[0];
    expect(group.title).toContain(long);
    const axisLabel = group.text.map((text: string | { "#text": string }) => (typeof text === "string" ? text : text["#text"]))[0];
    expect(axisLabel.length).toBeLessThanOrEqual(28);
    expect(axisLabel.endsWith("…")).toBe(true);
  });

  it("renders an empty chart without dividing by zero", () => {
    const svg = horizontalBarChart({ ...input, groups: [] });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain("NaN");
  });
});
