/**
 * Builds db/seed/skill-relations.json: which skills are related and how closely (0 < weight ≤ 1).
 *
 * Usage: npm run relations:build   (= tsx scripts/build-skill-relations.ts [escoRawDir])
 *   escoRawDir defaults to ../shared/data/esco/raw; the skills come from db/seed/taxonomy.json, so run
 *   `npm run taxonomy:build` first when the taxonomy changes. The app never reads ../shared: it loads the
 *   committed JSON after the taxonomy (app/modules/skills/taxonomy-seed.server.ts), once per checksum.
 *
 * Two sources, and nothing else (no "same broad group"):
 *
 * 1. ESCO's nearest level (broaderRelationsSkillPillar): the skills directly below one broader concept (a skill
 *    group, or a skill that has narrower skills) form a family — but only when that concept is narrow, i.e. has
 *    at most ESCO_FAMILY_MAX direct narrower skills in the whole of ESCO (13,939 skills; we hold a subset). A family
 *    of few skills means "variants of one thing" ("write Polish", "understand spoken Polish"); a big one is a
 *    field ("computer programming" has hundreds). ISCED-F education fields are never families: they are study
 *    subjects, not skills ("handicrafts" holds knife making and weaving).
 *      - a skill and its narrow broader skill (both in the taxonomy):           ESCO_WEIGHT.broader
 *      - two skills below the same narrow concept of ≤ ESCO_SMALL_FAMILY skills: ESCO_WEIGHT.smallFamily
 *      - two skills below the same narrow concept of ≤ ESCO_FAMILY_MAX skills:   ESCO_WEIGHT.family
 * 2. Curated relations among crafts and making skills (CURATED below), written by reading them as a maker would:
 *      0.8 one craft or a specialty of it (Keramik ~ Glasieren), 0.6 the same family of crafts, where one person
 *      often does both or a need for one is served by the other (3D-Druck ~ Laserschneiden), 0.4 a neighbour: worth
 *      naming beside a real fit, not a fit on its own (Fotografie ~ Videoproduktion).
 *    A curated weight replaces an ESCO one for the same pair.
 *
 * Matching counts a relation of weight ≥ 0.5 as a fit on its own (see app/modules/matching/scoring.ts); weaker
 * ones only add to a fit that is there anyway.
 *
 * Output: { source, generatedBy, rule, relations: { <skill uri>: [[<related uri>, weight, source], …] } }, each pair
 * once (under the smaller URI), sorted, so the same input gives a byte-identical file. The loader stores both
 * directions.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

export const ESCO_FAMILY_MAX = 12;
export const ESCO_SMALL_FAMILY = 6;
export const ESCO_WEIGHT = { broader: 0.6, smallFamily: 0.5, family: 0.4 } as const;

type Pair = readonly [string, string];
/** Curated relations by slug: [weight, pairs]. */
export const CURATED: readonly (readonly [number, readonly Pair[]])[] = [
  [
    0.8,
    [
      // wood and timber
      ["holzbau", "zimmerei"], ["holzbau", "holzrahmenbau"], ["zimmerei", "holzrahmenbau"], ["zimmerei", "fachwerksanierung"],
      ["holzbearbeitung", "moebelbau"], ["holzbearbeitung", "drechseln"], ["holzbearbeitung", "holzschnitzerei"],
      ["holzbearbeitung", "holzoberflaechenbehandlung"], ["moebelbau", "moebelrestaurierung"], ["restaurierung", "moebelrestaurierung"],
      ["restaurierung", "denkmalpflege"], ["restaurierung", "fensterrestaurierung"],
      // clay, lime, stoves, building physics, water
      ["lehmbau", "stampflehmbau"], ["lehmbau", "lehmputz"], ["lehmofenbau", "ofenbau"], ["energieberatung", "gebaeudethermografie"],
      ["regenwassernutzung", "grauwassernutzung"], ["malerarbeiten", "naturfarben"],
      // metal and electronics
      ["schweissen", "metallbearbeitung"], ["schmieden", "messerschmieden"], ["metallguss", "abformen-und-giessen"],
      ["elektronik-loeten", "elektronik-prototyping"],
      // bicycles
      ["fahrradreparatur", "laufradbau"],
      // textiles
      ["naehen", "schneidern"], ["naehen", "kleidungsreparatur"], ["schneidern", "schnittmustererstellung"], ["stricken", "haekeln"],
      ["textildruck", "siebdruck"],
      // print and letters
      ["linolschnitt", "holzschnitt"], ["linolschnitt", "druckgrafik"], ["holzschnitt", "druckgrafik"], ["radierung", "druckgrafik"],
      ["lithografie", "druckgrafik"], ["kalligrafie", "handlettering"],
      // art
      ["malerei", "aquarellmalerei"], ["zeichnen", "illustration"], ["illustration", "comiczeichnen"], ["wandmalerei", "street-art"],
      // ceramics
      ["keramik", "drehen-toepferscheibe"], ["keramik", "glasieren"], ["keramik", "keramikbrand"], ["glasieren", "keramikbrand"],
      // exhibitions, stage, events
      ["kuratieren", "ausstellungsgestaltung"], ["buehnenbild", "requisitenbau"], ["lichtdesign", "veranstaltungstechnik"],
      ["rigging", "veranstaltungstechnik"], ["veranstaltungsorganisation", "kulturveranstaltungen-organisieren"],
      ["veranstaltungsorganisation", "festivalorganisation"],
      // media
      ["fotografie", "analogfotografie"], ["fotografie", "eventfotografie"], ["videoproduktion", "dokumentarfilm"],
      ["podcast-produktion", "freies-radio"],
      // garden and food
      ["urban-gardening", "gemueseanbau"], ["kompostierung", "wurmkompostierung"], ["obstbaumschnitt", "obstbaumveredelung"],
      // organising
      ["workshop-moderation", "grossgruppenmoderation"], ["foerdermittelakquise", "fundraising"],
    ],
  ],
  [
    0.6,
    [
      ["moebelbau", "holzoberflaechenbehandlung"],
      ["drechseln", "holzschnitzerei"], ["moebelbau", "polsterei"], ["fachwerksanierung", "denkmalpflege"],
      ["fachwerksanierung", "altbausanierung"], ["fensterrestaurierung", "denkmalpflege"], ["holzoberflaechenbehandlung", "moebelrestaurierung"],
      ["vergolden", "restaurierung"], ["stuckarbeiten", "denkmalpflege"], ["stuckarbeiten", "kalkputz"],
      ["lehmputz", "kalkputz"], ["lehmbau", "strohballenbau"], ["lehmbau", "lehmofenbau"],
      ["strohballenbau", "daemmung-naturbaustoffe"], ["passivhausplanung", "energieberatung"], ["gebaeudethermografie", "luftdichtheitsmessung"],
      ["luftdichtheitsmessung", "passivhausplanung"], ["daemmung-naturbaustoffe", "altbausanierung"], ["selbstbau", "tiny-house-bau"],
      ["tiny-house-bau", "fahrzeugausbau"], ["tiny-house-bau", "holzrahmenbau"], ["gebaeudebegruenung", "garten-und-landschaftsbau"],
      ["balkonkraftwerk-installation", "elektroinstallation"], ["trockenmauerbau", "steinmetzarbeiten"], ["trockenmauerbau", "mauern"],
      ["fliesenlegen", "bodenverlegung"], ["sanitaerinstallation", "grauwassernutzung"], ["baugruppenorganisation", "genossenschaftsgruendung"],
      ["hartloeten", "schweissen"], ["hartloeten", "metallbearbeitung"], ["schmieden", "metallbearbeitung"], ["schmuckherstellung", "metallguss"],
      ["schmuckherstellung", "hartloeten"], ["schweissen", "fahrradrahmenbau"], ["hartloeten", "fahrradrahmenbau"],
      ["elektrogeraetereparatur", "elektronik-loeten"],
      ["3d-druck", "laserschneiden"], ["3d-druck", "cnc-fraesen"], ["laserschneiden", "cnc-fraesen"], ["3d-druck", "modellbau"],
      ["makerspace-betrieb", "werkstattpaedagogik"], ["modellbau", "requisitenbau"],
      ["abformen-und-giessen", "bildhauerei"],
      ["reparatur-cafe-organisieren", "elektrogeraetereparatur"], ["fahrradreparatur", "e-bike-umbau"], ["fahrradreparatur", "lastenradbau"],
      ["fahrradrahmenbau", "lastenradbau"],
      ["naehen", "schnittmustererstellung"], ["sticken", "naehen"], ["lederhandwerk", "schuhreparatur"], ["modedesign", "schneidern"],
      ["modedesign", "schnittmustererstellung"], ["kostuembild", "schneidern"],
      ["siebdruck", "risografie"], ["siebdruck", "druckgrafik"], ["buchdruck", "druckgrafik"], ["buchdruck", "typografie"],
      ["buchbinden", "papierschoepfen"], ["risografie", "zine-gestaltung"], ["zine-gestaltung", "editorial-design"],
      ["editorial-design", "typografie"], ["plakatgestaltung", "typografie"], ["handlettering", "schildermalerei"],
      ["malerei", "wandmalerei"], ["zeichnen", "comiczeichnen"], ["malerei", "zeichnen"], ["bildhauerei", "steinmetzarbeiten"],
      ["bildhauerei", "holzschnitzerei"],
      ["drehen-toepferscheibe", "glasieren"], ["bleiverglasung", "mosaikgestaltung"],
      ["ausstellungsgestaltung", "raumgestaltung"], ["buehnenmanagement", "veranstaltungstechnik"], ["lichtdesign", "projection-mapping"],
      ["kulturveranstaltungen-organisieren", "festivalorganisation"], ["veranstaltungssicherheit", "veranstaltungsorganisation"],
      ["veranstaltungssicherheit", "festivalorganisation"], ["nachhaltige-veranstaltungsplanung", "veranstaltungsorganisation"],
      ["barrierefreie-veranstaltungsplanung", "veranstaltungsorganisation"],
      ["videoproduktion", "livestreaming"], ["musikproduktion", "djing"], ["lokaljournalismus", "pressearbeit"],
      ["kreatives-schreiben", "poetry-slam"], ["theaterpaedagogik", "improvisationstheater"],
      ["urban-gardening", "hochbeetbau"], ["permakultur", "urban-gardening"], ["permakultur", "naturgartenplanung"],
      ["imkerei", "wildbienenschutz"], ["wildbienenschutz", "naturgartenplanung"], ["saatgutvermehrung", "gemueseanbau"],
      ["gemueseanbau", "solidarische-landwirtschaft"], ["naturgartenplanung", "garten-und-landschaftsbau"],
      ["fermentieren", "einkochen"], ["bierbrauen", "fermentieren"], ["kochen-fuer-gruppen", "lebensmittelrettung"],
      ["grossgruppenmoderation", "konsensmoderation"], ["konsensmoderation", "konfliktmoderation"], ["workshop-moderation", "konsensmoderation"],
      ["buergerbeteiligung", "grossgruppenmoderation"], ["buergerbeteiligung", "partizipative-kartierung"],
      ["buergerbeteiligung", "quartiersmanagement"], ["quartiersmanagement", "community-organizing"], ["community-organizing", "kampagnenarbeit"],
      ["genossenschaftsgruendung", "vereinsgruendung"], ["vereinsgruendung", "vereinsvorstand"], ["vereinsgruendung", "gemeinnuetzigkeitsrecht"],
      ["vereinsbuchhaltung", "vereinsvorstand"], ["vereinsbuchhaltung", "gemeinnuetzigkeitsrecht"], ["sprachcafe-organisieren", "gefluechtetenhilfe"],
      ["pressearbeit", "kampagnenarbeit"],
    ],
  ],
  [
    0.4,
    [
      ["lehmputz", "naturfarben"], ["3d-druck", "kunststoffrecycling-kleinmassstab"], ["zimmerei", "holzbearbeitung"], ["holzbau", "holzbearbeitung"], ["lehmbau", "fachwerksanierung"], ["lehmbau", "daemmung-naturbaustoffe"], ["altbausanierung", "energieberatung"],
      ["grauwassernutzung", "komposttoiletten-bau"], ["entsiegelung", "garten-und-landschaftsbau"], ["gebaeudebegruenung", "entsiegelung"],
      ["mauern", "steinmetzarbeiten"], ["trockenbau", "malerarbeiten"], ["malerarbeiten", "kalkputz"], ["trockenbau", "daemmung-naturbaustoffe"],
      ["dachdeckerarbeiten", "zimmerei"], ["sanitaerinstallation", "regenwassernutzung"], ["bauteilwiederverwendung", "altbausanierung"],
      ["bauteilwiederverwendung", "upcycling"], ["zwischennutzung", "quartiersmanagement"], ["radverkehrsplanung", "lastenradverleih-organisieren"],
      ["metallguss", "metallbearbeitung"], ["elektroinstallation", "elektrogeraetereparatur"], ["e-bike-umbau", "elektronik-loeten"],
      ["laserschneiden", "modellbau"], ["3d-druck", "elektronik-prototyping"], ["cnc-fraesen", "holzbearbeitung"], ["cnc-fraesen", "metallbearbeitung"],
      ["3d-druck", "produktdesign"], ["makerspace-betrieb", "3d-druck"], ["makerspace-betrieb", "laserschneiden"], ["abformen-und-giessen", "modellbau"],
      ["reparatur-cafe-organisieren", "kleidungsreparatur"], ["reparatur-cafe-organisieren", "fahrradreparatur"], ["fahrradrahmenbau", "fahrradreparatur"],
      ["lastenradbau", "lastenradverleih-organisieren"], ["leihladen-organisieren", "reparatur-cafe-organisieren"], ["upcycling", "kleidungsreparatur"],
      ["kleidertausch-organisieren", "upcycling"], ["kleidertausch-organisieren", "leihladen-organisieren"],
      ["weben", "filzen"], ["pflanzenfaerben", "weben"], ["pflanzenfaerben", "textildruck"], ["kostuembild", "buehnenbild"], ["naehen", "polsterei"],
      ["stricken", "weben"], ["weidenflechten", "weben"],
      ["buchdruck", "buchbinden"], ["logogestaltung", "typografie"], ["logogestaltung", "plakatgestaltung"], ["handlettering", "typografie"],
      ["schildermalerei", "wandmalerei"], ["siebdruck", "plakatgestaltung"],
      ["aquarellmalerei", "illustration"], ["illustration", "plakatgestaltung"], ["illustration", "zine-gestaltung"], ["bildhauerei", "keramik"],
      ["glasblaeserei", "bleiverglasung"], ["mosaikgestaltung", "keramik"], ["bleiverglasung", "fensterrestaurierung"],
      ["raumgestaltung", "produktdesign"], ["buehnenbild", "ausstellungsgestaltung"], ["buehnenmanagement", "veranstaltungsorganisation"],
      ["awareness-arbeit", "festivalorganisation"], ["awareness-arbeit", "veranstaltungssicherheit"], ["kulturveranstaltungen-organisieren", "kuratieren"],
      ["fotografie", "videoproduktion"], ["videoproduktion", "stop-motion-animation"], ["projection-mapping", "videoproduktion"],
      ["podcast-produktion", "musikproduktion"], ["livestreaming", "veranstaltungstechnik"], ["lokaljournalismus", "freies-radio"],
      ["kreatives-schreiben", "erzaehlcafe"], ["kreatives-schreiben", "lokaljournalismus"],
      ["puppenspiel", "theaterpaedagogik"], ["zirkuspaedagogik", "theaterpaedagogik"], ["tanzpaedagogik", "theaterpaedagogik"],
      ["instrumentenbau", "holzbearbeitung"], ["instrumentenbau", "drechseln"],
      ["kompostierung", "urban-gardening"], ["kompostierung", "komposttoiletten-bau"], ["pilzzucht", "gemueseanbau"], ["kraeuterkunde", "gemueseanbau"],
      ["hochbeetbau", "garten-und-landschaftsbau"], ["permakultur", "kompostierung"], ["umweltbildung", "wildbienenschutz"],
      ["umweltbildung", "urban-gardening"], ["brotbacken", "fermentieren"], ["einkochen", "lebensmittelrettung"],
      ["ehrenamtskoordination", "vereinsvorstand"], ["ehrenamtskoordination", "gefluechtetenhilfe"], ["werkstattpaedagogik", "umweltbildung"],
    ],
  ],
];

type TaxonomySkill = { uri: string; source: string; slug: string };
export type RelationEntry = [string, number, string];
export type SkillRelationsSeed = {
  source: string;
  generatedBy: string;
  rule: string;
  relations: Record<string, RelationEntry[]>;
};

const RULE =
  `ESCO: skills directly below one broader concept with at most ${ESCO_FAMILY_MAX} narrower skills in ESCO (not ISCED-F fields): ` +
  `${ESCO_WEIGHT.smallFamily} up to ${ESCO_SMALL_FAMILY} skills, else ${ESCO_WEIGHT.family}; a skill and such a broader skill ${ESCO_WEIGHT.broader}. ` +
  "Curated: 0.8 one craft, 0.6 same family, 0.4 neighbour; curated replaces ESCO. Matching: weight >= 0.5 is a fit on its own.";

function readPillar(escoRawDir: string): Record<string, string>[] {
  const file = path.join(escoRawDir, "broaderRelationsSkillPillar_en.csv.gz");
  return parse(gunzipSync(readFileSync(file)), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
}

export function buildSkillRelations(pillar: Record<string, string>[], skills: TaxonomySkill[]): { seed: SkillRelationsSeed; problems: string[] } {
  const known = new Set(skills.filter((skill) => skill.source === "esco" || skill.source === "curated").map((skill) => skill.uri));
  const uriOfSlug = new Map(skills.filter((skill) => skill.source === "curated").map((skill) => [skill.slug, skill.uri]));
  const weights = new Map<string, { weight: number; source: string }>();
  const key = (a: string, b: string) => (a < b ? `${a}\t${b}` : `${b}\t${a}`);
  const propose = (a: string, b: string, weight: number, source: string, replace = false) => {
    if (a === b) return;
    const k = key(a, b);
    const old = weights.get(k);
    if (replace || !old || old.weight < weight) weights.set(k, { weight, source });
  };

  // 1. ESCO's nearest level
  const children = new Map<string, string[]>();
  for (const row of pillar) {
    if (row.conceptType !== "KnowledgeSkillCompetence") continue;
    const list = children.get(row.broaderUri!) ?? [];
    list.push(row.conceptUri!);
    children.set(row.broaderUri!, list);
  }
  for (const [broader, narrower] of children) {
    if (broader.includes("/isced-f/") || narrower.length > ESCO_FAMILY_MAX) continue;
    const members = narrower.filter((uri) => known.has(uri));
    const sibling = narrower.length <= ESCO_SMALL_FAMILY ? ESCO_WEIGHT.smallFamily : ESCO_WEIGHT.family;
    for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) propose(members[i]!, members[j]!, sibling, "esco");
    if (known.has(broader)) for (const member of members) propose(broader, member, ESCO_WEIGHT.broader, "esco");
  }

  // 2. curated
  const problems: string[] = [];
  const curatedSeen = new Set<string>();
  for (const [weight, pairs] of CURATED) {
    for (const [a, b] of pairs) {
      const ua = uriOfSlug.get(a) ?? (a.startsWith("http") ? a : undefined);
      const ub = uriOfSlug.get(b) ?? (b.startsWith("http") ? b : undefined);
      if (!ua || !ub) {
        problems.push(`curated relation ${a} ~ ${b}: unknown curated slug ${!ua ? a : b}`);
        continue;
      }
      if (curatedSeen.has(key(ua, ub))) problems.push(`curated relation ${a} ~ ${b} is listed twice`);
      curatedSeen.add(key(ua, ub));
      propose(ua, ub, weight, "curated", true);
    }
  }

  const relations: Record<string, RelationEntry[]> = {};
  for (const k of [...weights.keys()].sort()) {
    const [a, b] = k.split("\t");
    const { weight, source } = weights.get(k)!;
    (relations[a!] ??= []).push([b!, weight, source]);
  }
  return {
    seed: { source: "ESCO v1.2.0 broaderRelationsSkillPillar (CC BY 4.0, European Commission), modified; plus NextLeipzig curated relations", generatedBy: "scripts/build-skill-relations.ts", rule: RULE, relations },
    problems,
  };
}

function main() {
  const root = process.cwd();
  const escoRawDir = path.resolve(root, process.argv[2] ?? "../shared/data/esco/raw");
  const taxonomy = JSON.parse(readFileSync(path.join(root, "db/seed/taxonomy.json"), "utf8")) as { skills: TaxonomySkill[] };
  const { seed, problems } = buildSkillRelations(readPillar(escoRawDir), taxonomy.skills);
  if (problems.length) throw new Error(`skill relations are invalid:\n  - ${problems.join("\n  - ")}`);
  const outFile = path.join(root, "db/seed/skill-relations.json");
  // one line per skill: small diffs when a relation changes
  const lines = Object.entries(seed.relations).map(([uri, list]) => `${JSON.stringify(uri)}:${JSON.stringify(list)}`);
  writeFileSync(
    outFile,
    `{"source":${JSON.stringify(seed.source)},"generatedBy":${JSON.stringify(seed.generatedBy)},"rule":${JSON.stringify(seed.rule)},"relations":{\n${lines.join(",\n")}\n}}\n`,
  );
  const entries = Object.values(seed.relations).flat();
  const bySource = (source: string) => entries.filter((entry) => entry[2] === source).length;
  const skillsWith = new Set(Object.entries(seed.relations).flatMap(([uri, list]) => [uri, ...list.map((entry) => entry[0])])).size;
  console.log(`pairs ${entries.length} (esco ${bySource("esco")}, curated ${bySource("curated")}) · skills with a relation ${skillsWith}`);
  console.log(`wrote ${path.relative(root, outFile)}`);
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
