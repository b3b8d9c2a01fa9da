/**
 * Builds db/seed/taxonomy.json from the derived ESCO v1.2.0 CSVs plus the
 * hand-curated NextLeipzig skills in db/seed/curated-skills.json.
 *
 * Usage: npx tsx scripts/build-taxonomy-seed.ts [escoDir]
 *   escoDir defaults to ../shared/data/esco (relative to process.cwd(), the project root).
 *
 * ESCO is © European Union, licensed under CC BY 4.0. The output is modified
 * (reshaped, joined, descriptions shortened). See db/seed/README.md.
 */
import { readFileSync, writeFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

export const SOURCE_TEXT = "ESCO v1.2.0 (CC BY 4.0, European Commission), modified: reshaped and joined; plus NextLeipzig curated skills";
export const CURATED_URI_PREFIX = "https://nextleipzig.de/skill/";
const DESC_MAX = 300;
const SLUG_MAX = 60;

const FILES = {
  skills: "esco_v1.2.0_skills_subset_de_en.csv",
  groups: "esco_v1.2.0_skillgroups_de_en.csv",
  occupations: "esco_v1.2.0_occupations_de_en.csv",
} as const;

export type SkillSource = "esco" | "curated" | "occupation";

export interface TaxonomyGroup {
  uri: string;
  code: string;
  level: number;
  parent: string | null;
  de: string;
  en: string;
}

export interface TaxonomySkill {
  uri: string;
  source: SkillSource;
  slug: string;
  de: string;
  en: string;
  altDe: string[];
  altEn: string[];
  broader: string[];
  descDe: string | null;
  descEn: string | null;
}

export interface Taxonomy {
  source: string;
  generatedBy: string;
  groups: TaxonomyGroup[];
  skills: TaxonomySkill[];
}

export interface CuratedSkill {
  slug: string;
  de: string;
  en: string;
  altDe?: string[];
  altEn?: string[];
  broader: string[];
}

/** Label normalisation used for collision checks (keep identical across the codebase). */
export function normalizeSkillLabel(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^\p{L}\p{N}#+]/gu, "");
}

/** Lowercase ASCII slug: ä→ae, ö→oe, ü→ue, ß→ss, other accents stripped, max 60 chars. */
export function slugify(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/\+/g, "plus")
    .replace(/#/g, "sharp")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return s.slice(0, SLUG_MAX).replace(/-+$/g, "");
}

/** Trim to at most `max` characters, cutting at a word boundary and appending "…". */
export function trimDescription(text: string | undefined | null, max = DESC_MAX): string | null {
  const t = (text ?? "").replace(/\s+/g, " ").trim();
  if (!t) return null;
  if (t.length <= max) return t;
  const room = t.slice(0, max - 1); // leave space for the ellipsis
  const cut = room.lastIndexOf(" ");
  const base = (cut > max * 0.5 ? room.slice(0, cut) : room).replace(/[\s,;:.\-–]+$/u, "");
  return `${base}…`;
}

/** Split a " | "-separated list field. */
function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(" | ")
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Trim, drop empties, drop duplicates of the preferred label (case-insensitive), dedupe (case-insensitive). */
export function cleanAltLabels(alts: readonly string[], preferred: string): string[] {
  const seen = new Set<string>([preferred.trim().toLowerCase()]);
  const out: string[] = [];
  for (const raw of alts) {
    const a = raw.replace(/\s+/g, " ").trim();
    if (!a) continue;
    const key = a.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
    relax_column_count: false,
  }) as Record<string, string>[];
}

function byUri<T extends { uri: string }>(a: T, b: T): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0;
}

export function buildTaxonomy(
  escoDir: string,
  curatedFile: string,
): {
  taxonomy: Taxonomy;
  report: { escoCollisions: { label: string; curated: string; esco: string[] }[]; occupationLabels: number };
} {
  // ---- groups
  const groupRows = readCsv(path.join(escoDir, FILES.groups));
  const groups: TaxonomyGroup[] = groupRows.map((r) => ({
    uri: r.conceptUri!.trim(),
    code: r.code!.trim(),
    level: Number.parseInt(r.level!, 10),
    parent: r.parentUri?.trim() ? r.parentUri.trim() : null,
    de: r.preferredLabel_de!.trim(),
    en: r.preferredLabel_en!.trim(),
  }));
  groups.sort(byUri);
  const groupUris = new Set(groups.map((g) => g.uri));
  if (groupUris.size !== groups.length) throw new Error("duplicate group conceptUri in groups CSV");
  for (const g of groups) {
    if (!Number.isInteger(g.level)) throw new Error(`group ${g.uri} has no numeric level`);
    if (g.parent && !groupUris.has(g.parent)) throw new Error(`group ${g.uri} has unknown parent ${g.parent}`);
  }

  // ---- curated
  const curatedRaw = JSON.parse(readFileSync(curatedFile, "utf8")) as CuratedSkill[];
  if (!Array.isArray(curatedRaw)) throw new Error(`${curatedFile} must contain a JSON array`);
  const problems: string[] = [];
  const curatedSlugs = new Set<string>();
  const curatedLabelOwner = new Map<string, string>(); // normalised label -> slug
  for (const c of curatedRaw) {
    const where = `curated skill "${c.slug ?? "?"}"`;
    if (!c.slug || c.slug !== slugify(c.slug)) problems.push(`${where}: slug must be lowercase ASCII kebab-case`);
    if (curatedSlugs.has(c.slug)) problems.push(`${where}: duplicate slug`);
    curatedSlugs.add(c.slug);
    if (!c.de?.trim() || !c.en?.trim()) problems.push(`${where}: de and en labels are required`);
    if (!Array.isArray(c.broader) || c.broader.length === 0) problems.push(`${where}: needs at least one broader group`);
    for (const b of c.broader ?? []) {
      if (!groupUris.has(b)) problems.push(`${where}: broader URI not in skill groups: ${b}`);
    }
    const labels = [c.de, c.en, ...(c.altDe ?? []), ...(c.altEn ?? [])];
    const own = new Set<string>();
    for (const l of labels) {
      const n = normalizeSkillLabel(l ?? "");
      if (!n) {
        problems.push(`${where}: label "${l}" normalises to nothing`);
        continue;
      }
      if (own.has(n)) continue; // same label twice within one skill (e.g. de == en) is fine
      own.add(n);
      const owner = curatedLabelOwner.get(n);
      if (owner && owner !== c.slug) problems.push(`${where}: label "${l}" (normalised "${n}") also used by "${owner}"`);
      else curatedLabelOwner.set(n, c.slug);
    }
  }
  if (problems.length) {
    throw new Error(`curated-skills.json is invalid:\n  - ${problems.join("\n  - ")}`);
  }

  // ---- esco skills
  const skillRows = readCsv(path.join(escoDir, FILES.skills));
  const esco = skillRows.map((r) => {
    const de = r.preferredLabel_de!.trim();
    const en = r.preferredLabel_en!.trim();
    return {
      uri: r.conceptUri!.trim(),
      de,
      en,
      altDe: cleanAltLabels(splitList(r.altLabels_de), de),
      altEn: cleanAltLabels(splitList(r.altLabels_en), en),
      broader: [...new Set(splitList(r.broaderUris))].filter((u) => groupUris.has(u)).sort(),
      descDe: trimDescription(r.description_de),
      descEn: trimDescription(r.description_en),
    };
  });
  esco.sort(byUri);

  // ---- occupations
  const occRows = readCsv(path.join(escoDir, FILES.occupations));
  const occupations = occRows.map((r) => {
    const de = r.preferredLabel_de!.trim();
    const en = r.preferredLabel_en!.trim();
    return {
      uri: r.conceptUri!.trim(),
      de,
      en,
      altDe: cleanAltLabels(splitList(r.altLabels_de), de),
      altEn: cleanAltLabels(splitList(r.altLabels_en), en),
    };
  });
  occupations.sort(byUri);

  // ---- occupation names as labels of the curated activity: an occupation whose German name (or one of its
  // gendered halves, "Tischler/Tischlerin") is already an alternative label of a curated skill lends that skill
  // its full name, so typing an occupation finds the activity. Occupations themselves are never suggested.
  const occupationLabelsAdded = new Map<string, string[]>(); // slug -> added German labels
  for (const o of occupations) {
    const halves = [
      o.de,
      ...o.de
        .split("/")
        .map((part) => part.trim())
        .filter((part) => part.length > 2),
    ];
    const owner = halves.map((label) => curatedLabelOwner.get(normalizeSkillLabel(label))).find(Boolean);
    if (!owner) continue;
    const full = normalizeSkillLabel(o.de);
    const taken = curatedLabelOwner.get(full);
    if (taken && taken !== owner) continue;
    if (taken === owner) continue;
    curatedLabelOwner.set(full, owner);
    occupationLabelsAdded.set(owner, [...(occupationLabelsAdded.get(owner) ?? []), o.de]);
  }
  for (const c of curatedRaw) {
    const added = occupationLabelsAdded.get(c.slug);
    if (added) c.altDe = [...(c.altDe ?? []), ...added];
  }

  // ---- slugs: curated first, then esco, then occupations
  const usedSlugs = new Set<string>();
  const claimSlug = (base: string): string => {
    const root = base || "skill";
    if (!usedSlugs.has(root)) {
      usedSlugs.add(root);
      return root;
    }
    for (let i = 2; ; i++) {
      const suffix = `-${i}`;
      const candidate = `${root.slice(0, SLUG_MAX - suffix.length).replace(/-+$/g, "")}${suffix}`;
      if (!usedSlugs.has(candidate)) {
        usedSlugs.add(candidate);
        return candidate;
      }
    }
  };

  const curatedSorted = curatedRaw.map((c) => ({ ...c, uri: `${CURATED_URI_PREFIX}${c.slug}` })).sort(byUri);

  const skills: TaxonomySkill[] = [];
  for (const c of curatedSorted) {
    if (usedSlugs.has(c.slug)) throw new Error(`curated slug collision: ${c.slug}`);
    usedSlugs.add(c.slug);
    const de = c.de.trim();
    const en = c.en.trim();
    skills.push({
      uri: c.uri,
      source: "curated",
      slug: c.slug,
      de,
      en,
      altDe: cleanAltLabels(c.altDe ?? [], de),
      altEn: cleanAltLabels(c.altEn ?? [], en),
      broader: [...new Set(c.broader)],
      descDe: null,
      descEn: null,
    });
  }
  for (const e of esco) {
    skills.push({
      uri: e.uri,
      source: "esco",
      slug: claimSlug(slugify(e.en) || slugify(e.de)),
      de: e.de,
      en: e.en,
      altDe: e.altDe,
      altEn: e.altEn,
      broader: e.broader,
      descDe: e.descDe,
      descEn: e.descEn,
    });
  }
  for (const o of occupations) {
    skills.push({
      uri: o.uri,
      source: "occupation",
      slug: claimSlug(slugify(o.en) || slugify(o.de)),
      de: o.de,
      en: o.en,
      altDe: o.altDe,
      altEn: o.altEn,
      broader: [],
      descDe: null,
      descEn: null,
    });
  }

  // ---- report curated labels that collide with ESCO skill labels
  const escoLabelIndex = new Map<string, Set<string>>();
  for (const e of esco) {
    for (const l of [e.de, e.en, ...e.altDe, ...e.altEn]) {
      const n = normalizeSkillLabel(l);
      if (!n) continue;
      let set = escoLabelIndex.get(n);
      if (!set) escoLabelIndex.set(n, (set = new Set()));
      set.add(`${e.en} <${e.uri}>`);
    }
  }
  const escoCollisions: { label: string; curated: string; esco: string[] }[] = [];
  for (const c of curatedSorted) {
    const seen = new Set<string>();
    for (const l of [c.de, c.en, ...(c.altDe ?? []), ...(c.altEn ?? [])]) {
      const n = normalizeSkillLabel(l);
      if (seen.has(n)) continue;
      seen.add(n);
      const hit = escoLabelIndex.get(n);
      if (hit) escoCollisions.push({ label: l, curated: c.slug, esco: [...hit].sort() });
    }
  }

  return {
    taxonomy: {
      source: SOURCE_TEXT,
      generatedBy: "scripts/build-taxonomy-seed.ts",
      groups,
      skills,
    },
    report: { escoCollisions, occupationLabels: [...occupationLabelsAdded.values()].reduce((n, labels) => n + labels.length, 0) },
  };
}

function main(): void {
  const root = process.cwd();
  const escoDir = path.resolve(root, process.argv[2] ?? "../shared/data/esco");
  const curatedFile = path.join(root, "db/seed/curated-skills.json");
  const outFile = path.join(root, "db/seed/taxonomy.json");

  const { taxonomy, report } = buildTaxonomy(escoDir, curatedFile);

  if (report.escoCollisions.length) {
    console.warn(`curated labels colliding with ESCO skill labels (normalised): ${report.escoCollisions.length}`);
    for (const c of report.escoCollisions) {
      console.warn(`  - "${c.label}" (curated ${c.curated}) ~ ${c.esco.join("; ")}`);
    }
  } else {
    console.log("curated labels colliding with ESCO skill labels (normalised): 0");
  }

  console.log(`occupation names added as labels of curated activities: ${report.occupationLabels}`);
  writeFileSync(outFile, `${JSON.stringify(taxonomy)}\n`);

  const count = (s: SkillSource) => taxonomy.skills.filter((k) => k.source === s).length;
  const labels = taxonomy.skills.reduce((n, k) => n + 2 + k.altDe.length + k.altEn.length, 0);
  const size = statSync(outFile).size;
  console.log(
    `groups ${taxonomy.groups.length} · esco ${count("esco")} · curated ${count("curated")} · ` +
      `occupations ${count("occupation")} · labels ${labels}`,
  );
  console.log(`wrote ${path.relative(root, outFile)} (${(size / 1024 / 1024).toFixed(2)} MB)`);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
