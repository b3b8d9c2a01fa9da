/**
 * The key under which a label is found: case, accents, hyphens and spaces do not matter, symbols that carry
 * meaning in skill names (C#, C++) do. "3d druck", "3D-Druck" → "3ddruck".
 */
export function normalizeSkillLabel(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^\p{L}\p{N}#+]/gu, "");
}

/** Splits a comma- or semicolon-separated skills field into trimmed, distinct labels. */
export function splitSkillInput(input: string | string[] | undefined): string[] {
  const parts = (Array.isArray(input) ? input : [input ?? ""]).flatMap((value) => value.split(/[,;\n]/));
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const part of parts) {
    const label = part.replace(/\s+/g, " ").trim();
    const key = normalizeSkillLabel(label);
    if (!label || !key || seen.has(key)) continue;
    seen.add(key);
    labels.push(label);
  }
  return labels;
}

export function slugify(text: string): string {
  return (
    text
      .replace(/ä/gi, "ae")
      .replace(/ö/gi, "oe")
      .replace(/ü/gi, "ue")
      .replace(/ß/g, "ss")
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/\+/g, "plus")
      .replace(/#/g, "sharp")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "") || "skill"
  );
}
