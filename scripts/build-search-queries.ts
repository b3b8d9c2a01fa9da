// npx tsx scripts/build-search-queries.ts — writes tests/fixtures/search-queries.tsv, the query set that
// `npm run bench:search` measures recall@10 and MRR with. Generated from the committed taxonomy
// (db/seed/taxonomy.json) with a seeded random generator: the same taxonomy always gives the same file.
//
// Columns: query, expected skill (slug), kind, language, detail. Kinds:
//   label       a skill's preferred label (German or English)
//   alt_label   an ESCO alternative label (German or English)
//   craft       a craft, art or making synonym: labels and alternative labels of the curated skills
//   typo_start  a label with one typo in the first two letters of a word (delete, insert, swap, replace)
//   typo        a label with one typo at a later position of a word, up to its last letter
//   multi_word  several words: a label's words reordered, a label plus context words, the key words of a long label
// Only labels that name exactly one skill are used, so "expected skill" has one right answer.
import fs from "node:fs";
import path from "node:path";
import { normalizeSkillLabel } from "../app/modules/skills/normalize";

type TaxonomySkill = { source: "esco" | "curated" | "occupation"; slug: string; de: string; en: string; altDe: string[]; altEn: string[] };
type Row = { query: string; slug: string; kind: string; lang: "de" | "en"; detail: string };

const root = path.resolve(import.meta.dirname, "..");
const taxonomy = JSON.parse(fs.readFileSync(path.join(root, "db/seed/taxonomy.json"), "utf8")) as { skills: TaxonomySkill[] };
const OUT = path.join(root, "tests/fixtures/search-queries.tsv");

/** mulberry32: small, seeded, the same numbers on every machine. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seededRandom(2026);
const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
function shuffled<T>(values: readonly T[]): T[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const skills = taxonomy.skills.filter((skill) => skill.source !== "occupation");
const labelsOf = (skill: TaxonomySkill) => [
  ...[skill.de, ...skill.altDe].map((label, index) => ({ label, lang: "de" as const, preferred: index === 0 })),
  ...[skill.en, ...skill.altEn].map((label, index) => ({ label, lang: "en" as const, preferred: index === 0 })),
];

// A label is usable when its key names exactly one skill (occupations included: they are skills in the app too).
const owners = new Map<string, Set<string>>();
for (const skill of taxonomy.skills) {
  for (const { label } of labelsOf(skill)) {
    const key = normalizeSkillLabel(label);
    owners.set(key, (owners.get(key) ?? new Set()).add(skill.slug));
  }
}
const unique = (label: string) => owners.get(normalizeSkillLabel(label))?.size === 1;

// Every word of every label: a typo must not turn one word into another real word.
const fold = (word: string) => word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ß/g, "ss");
const vocabulary = new Set<string>();
for (const skill of taxonomy.skills)
  for (const { label } of labelsOf(skill)) for (const word of label.match(/[\p{L}\p{N}]+/gu) ?? []) vocabulary.add(fold(word));

const STOP_WORDS = new Set([
  "und",
  "oder",
  "der",
  "die",
  "das",
  "den",
  "dem",
  "des",
  "von",
  "mit",
  "für",
  "in",
  "im",
  "zu",
  "zur",
  "zum",
  "auf",
  "an",
  "am",
  "bei",
  "über",
  "sich",
  "eine",
  "einer",
  "einen",
  "the",
  "of",
  "and",
  "or",
  "for",
  "to",
  "on",
  "with",
  "a",
  "an",
  "in",
  "at",
  "by",
  "from",
]);
const contentWords = (label: string) => (label.match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !STOP_WORDS.has(word.toLowerCase()));
const reasonable = (label: string) => label.length >= 3 && label.length <= 60 && !/[/()]/.test(label);

const rows: Row[] = [];
const seen = new Set<string>();
function add(row: Row) {
  const key = normalizeSkillLabel(row.query) + "|" + row.kind;
  if (seen.has(key) || !row.query.trim()) return false;
  seen.add(key);
  rows.push(row);
  return true;
}

const esco = shuffled(skills.filter((skill) => skill.source === "esco"));
const curated = shuffled(skills.filter((skill) => skill.source === "curated"));

// label: preferred labels, alternating languages.
let taken = 0;
for (const skill of esco) {
  if (taken >= 60) break;
  const lang = taken % 2 === 0 ? "de" : "en";
  const label = lang === "de" ? skill.de : skill.en;
  if (reasonable(label) && unique(label) && add({ query: label, slug: skill.slug, kind: "label", lang, detail: "preferred" })) taken++;
}

// alt_label: ESCO alternative labels, alternating languages.
taken = 0;
for (const skill of esco.slice(60)) {
  if (taken >= 70) break;
  const lang = taken % 2 === 0 ? "de" : "en";
  const candidates = (lang === "de" ? skill.altDe : skill.altEn).filter((label) => reasonable(label) && unique(label));
  if (candidates.length && add({ query: pick(candidates), slug: skill.slug, kind: "alt_label", lang, detail: "alternative" })) taken++;
}

// craft: every curated skill contributes one synonym (alternative label, or the label in the other language).
taken = 0;
for (const skill of curated) {
  if (taken >= 60) break;
  const lang = taken % 2 === 0 ? "de" : "en";
  const candidates = (lang === "de" ? skill.altDe : skill.altEn).filter((label) => reasonable(label) && unique(label));
  if (candidates.length && add({ query: pick(candidates), slug: skill.slug, kind: "craft", lang, detail: "curated synonym" })) taken++;
}

// Typos: one edit in one word (of 5+ letters) of a label; the result must not be a real word.
const LETTERS = "abcdefghijklmnopqrstuvwxyzäöü";
function typo(word: string, at: number): { word: string; edit: string } | undefined {
  const letters = [...word];
  for (let attempt = 0; attempt < 8; attempt++) {
    const copy = [...letters];
    const edit = pick(["delete", "insert", "swap", "replace"] as const);
    if (edit === "delete") copy.splice(at, 1);
    else if (edit === "insert") copy.splice(at, 0, pick([...LETTERS]));
    else if (edit === "swap") {
      if (at + 1 >= copy.length) continue;
      [copy[at], copy[at + 1]] = [copy[at + 1]!, copy[at]!];
    } else copy[at] = pick([...LETTERS].filter((letter) => letter !== copy[at]!.toLowerCase()));
    // Keep the capital where the word had one.
    if (at === 0 && letters[0] !== letters[0]!.toLowerCase()) copy[0] = copy[0]!.toUpperCase();
    const result = copy.join("");
    if (fold(result) !== fold(word) && !vocabulary.has(fold(result))) return { word: result, edit };
  }
  return undefined;
}

function addTypos(pool: TaxonomySkill[], kind: "typo_start" | "typo", count: number) {
  let made = 0;
  for (const [index, skill] of pool.entries()) {
    if (made >= count) return;
    const lang = index % 2 === 0 ? "de" : "en";
    const label = pick(
      [lang === "de" ? skill.de : skill.en, ...(lang === "de" ? skill.altDe : skill.altEn)].filter(
        (value) => reasonable(value) && unique(value),
      ),
    );
    if (!label) continue;
    const words = label.split(" ");
    const longIndexes = words.map((word, position) => ({ word, position })).filter(({ word }) => /^[\p{L}]{5,}$/u.test(word));
    if (longIndexes.length === 0) continue;
    const { word, position } = pick(longIndexes);
    // typo_start: letter 1 or 2; typo: any later letter, the last one included.
    const at = kind === "typo_start" ? made % 2 : 2 + Math.floor(random() * ([...word].length - 2));
    const changed = typo(word, at);
    if (!changed) continue;
    const query = words.map((other, i) => (i === position ? changed.word : other)).join(" ");
    if (add({ query, slug: skill.slug, kind, lang, detail: `${changed.edit} at ${at + 1} of "${word}"` })) made++;
  }
}
addTypos(shuffled([...curated, ...esco.slice(200, 400)]), "typo_start", 60);
addTypos(shuffled([...curated, ...esco.slice(400, 600)]), "typo", 60);

// multi_word: reordered words, a label plus context words, the key words of a long label.
const CONTEXT = {
  de: ["Kurs", "Hilfe", "Leipzig", "gesucht", "Werkstatt", "Projekt"],
  en: ["course", "help", "Leipzig", "wanted", "workshop", "project"],
};
taken = 0;
for (const [index, skill] of [...curated, ...esco.slice(600, 900)].entries()) {
  if (taken >= 66) break;
  const lang = index % 2 === 0 ? "de" : "en";
  const labels = [lang === "de" ? skill.de : skill.en, ...(lang === "de" ? skill.altDe : skill.altEn)].filter(
    (label) => reasonable(label) && unique(label),
  );
  if (labels.length === 0) continue;
  const label = pick(labels);
  const words = contentWords(label!);
  const variant = taken % 3;
  let query: string | undefined;
  let detail = "";
  if (variant === 0 && words.length >= 2) {
    query = [...words].reverse().join(" ");
    detail = `reordered "${label}"`;
  } else if (variant === 1) {
    query = `${label} ${pick(CONTEXT[lang])}`;
    detail = `label plus a context word`;
  } else if (variant === 2 && words.length >= 3) {
    query = shuffled(words).slice(0, 2).join(" ");
    detail = `two key words of "${label}"`;
  }
  if (query && add({ query, slug: skill.slug, kind: "multi_word", lang, detail })) taken++;
}

const header = "query\texpected_skill\tkind\tlang\tdetail";
const clean = (value: string) => value.replace(/[\t\n]/g, " ");
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(
  OUT,
  [header, ...rows.map((row) => [row.query, row.slug, row.kind, row.lang, row.detail].map(clean).join("\t"))].join("\n") + "\n",
);
const perKind = rows.reduce<Record<string, number>>((counts, row) => ({ ...counts, [row.kind]: (counts[row.kind] ?? 0) + 1 }), {});
console.log(`${rows.length} queries → ${path.relative(root, OUT)} ${JSON.stringify(perKind)}`);
