// npm run bench:search — the embedded search engine against MiniSearch (in-process JavaScript search) on the
// same corpus and the same queries, in one run. Not part of `npm test`.
//
// Database: the PostgreSQL in DATABASE_URL (a database nl_bench_search_* is created there and dropped after),
// or, when unset, a throwaway embedded PostgreSQL in a temporary directory. MEILI_HOST is ignored: this
// measures the embedded engine.
//
// Corpus (generated from the skills taxonomy, German and English, set-based in SQL): 20,000 people with
// profiles and 0–4 offered / 0–2 sought skills, 100,000 posts with 1–3 skills, titles and descriptions from
// templates in both languages, ~8% closed or expired. Skills are skewed: the curated skills (Holzbau,
// 3D-Druck …) come first and a few skills are common, most rare. Queries (≥ 1,000, seeded): skill labels in
// both languages, typos, synonyms (alternative labels), two-word queries, queries with facets, empty queries
// with facets, people searches. Every query asks for facet counts and 20 hits, as the search page does.
//
// Options: --posts N --people N --queries N (defaults 100000, 20000, 1200).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import MiniSearch, { type SearchResult as MiniResult } from "minisearch";
import postgres from "postgres";
import { openDatabase, useDatabase, type Database } from "../../app/lib/db.server";
import { CATEGORIES, EXCHANGE_MODES, LEIPZIG_DISTRICTS, ROLES } from "../../app/lib/reference";
import { migrate } from "../../app/lib/migrations.server";
import { loadTaxonomySeed } from "../../app/modules/skills/taxonomy-seed.server";
import { buildPersonDocuments, buildPostDocuments } from "../../app/modules/search/documents.server";
import { createEmbeddedEngine } from "../../app/modules/search/embedded-engine.server";
import { cleanQuery } from "../../app/modules/search/query";
import * as searchQueries from "../../app/modules/search/queries.server";
import { SKILL_FACET_SIZE, type SearchFilters, type SearchIndexName, type SearchRequest } from "../../app/modules/search/types";
import { progressBar } from "../lib/cli";

delete process.env.MEILI_HOST;

function option(name: string, fallback: number) {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

const POSTS = option("posts", 100_000);
const PEOPLE = option("people", 20_000);
const QUERIES = option("queries", 1_200);
const WARMUP = 50;
const PER_PAGE = 20;
const INDEX_BATCH = 1_000;

// ---------------------------------------------------------------------------------------------------------
// Database

async function openBenchDatabase(): Promise<{ database: Database; label: string; cleanup: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `nl_bench_search_${process.pid}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ url: url.toString(), dataDir: "", poolMax: 2 });
    const [{ version }] = await database.sql<{ version: string }[]>`select current_setting('server_version') as version`;
    return {
      database,
      label: `PostgreSQL ${version} (DATABASE_URL)`,
      cleanup: async () => {
        await database.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nl-bench-search-"));
  const database = await openDatabase({ dataDir });
  return {
    database,
    label: "embedded PostgreSQL 17 (throwaway)",
    cleanup: async () => {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Corpus

const DISTRICTS = Object.values(LEIPZIG_DISTRICTS).flat();
const FIRST_NAMES = ["Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hamid", "Ida", "Jonas", "Kira", "Lukas", "Mila", "Noah", "Olga", "Paul", "Rosa", "Sami", "Tara", "Uwe", "Vera", "Yusuf", "Zoe", "Marek", "Lena", "Jan", "Nora", "Emil", "Aylin", "Tom"];
const LAST_NAMES = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Nowak", "Yılmaz", "Nguyen", "Kowalski", "Schulz", "Vogel", "Frank"];

// Five templates each: %1$s first skill, %2$s place, %3$s second skill.
const TITLES = {
  deOffer: ["Biete %1$s in %2$s", "%1$s: Unterstützung für Projekte und Initiativen", "Erfahrung mit %1$s und %3$s", "Werkstatt und Know-how für %1$s", "%1$s – Kurs und Begleitung in %2$s"],
  deNeed: ["Suche Hilfe bei %1$s", "Wer kennt sich mit %1$s aus?", "%1$s für unser Projekt in %2$s gesucht", "Gesucht: Mitstreiter:innen für %1$s", "Brauchen Unterstützung: %1$s und %3$s"],
  enOffer: ["Offering %1$s in %2$s", "%1$s help for startups and initiatives", "Experienced in %1$s and %3$s", "Workshop space and know-how: %1$s", "%1$s – mentoring in %2$s"],
  enNeed: ["Looking for help with %1$s", "Who knows %1$s?", "Need %1$s for our project in %2$s", "Wanted: collaborators for %1$s", "Seeking support: %1$s and %3$s"],
};
const DESCRIPTIONS = {
  de: [
    "Wir sind ein kleines Team aus %2$s und arbeiten an einem Projekt rund um %1$s. Dafür brauchen wir jemanden mit Erfahrung in %3$s. Werkstatt und Material sind vorhanden, Termine nach Absprache.",
    "Seit einigen Jahren beschäftige ich mich mit %1$s. Gern teile ich mein Wissen, auch zu %3$s, in %2$s oder online. Melde dich einfach.",
    "Für unsere Initiative in %2$s suchen wir Unterstützung: %1$s, gern auch %3$s. Ehrenamtlich oder gegen Zeitguthaben, wie es passt.",
  ],
  en: [
    "We are a small team in %2$s working on a project around %1$s. We need someone experienced in %3$s. Workshop and materials are available, times by arrangement.",
    "I have been doing %1$s for a few years and am happy to share what I know, also about %3$s, in %2$s or online. Just get in touch.",
    "Our initiative in %2$s is looking for support with %1$s and ideally %3$s. Volunteer or for time credits, whatever suits you.",
  ],
};
const BIOS = [
  "Ich lebe in %2$s und arbeite an Projekten rund um %1$s.",
  "Based in %2$s, working on %1$s and community projects.",
  "Zwischen Werkstatt und Labor: %1$s, Reparieren und Teilen in %2$s.",
  "Curious about %1$s; I like building things with neighbours in %2$s.",
];

/**
 * Generates the corpus inside the database (fast on PGlite too: no rows cross the socket). Curated skills
 * take the first ranks; skills are drawn with index = n·u² (u uniform), so a few are common, most rare.
 */
async function generateCorpus(sql: postgres.Sql) {
  await sql`select setseed(0.42)`;
  await sql`
    create table bench_skills as
    select (row_number() over (order by (source <> 'curated'), md5(id::text)) - 1)::int as idx, id, label_de, label_en
    from skills where source in ('esco', 'curated') and merged_into_id is null`;
  await sql`create unique index on bench_skills (idx)`;
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from bench_skills`;

  await sql`
    insert into users (id, email, is_demo) overriding system value
    select g, 'bench' || g || '@example.org', true from generate_series(1, ${PEOPLE}) g`;
  await sql`select setval(pg_get_serial_sequence('users', 'id'), ${PEOPLE})`;
  await sql`
    create table bench_people_plan as
    select g as id, random() < 0.5 as english,
           floor(power(random(), 2) * ${n})::int as o1, floor(power(random(), 2) * ${n})::int as o2,
           floor(power(random(), 2) * ${n})::int as o3, floor(power(random(), 2) * ${n})::int as o4,
           floor(power(random(), 2) * ${n})::int as s1, floor(power(random(), 2) * ${n})::int as s2,
           floor(random() * 5)::int as offered, floor(random() * 3)::int as sought,
           (${DISTRICTS}::text[])[1 + floor(random() * ${DISTRICTS.length})::int] as district,
           (${[...ROLES]}::text[])[1 + floor(random() * ${ROLES.length})::int] as role,
           (${FIRST_NAMES}::text[])[1 + floor(random() * ${FIRST_NAMES.length})::int] || ' ' ||
             (${LAST_NAMES}::text[])[1 + floor(random() * ${LAST_NAMES.length})::int] as name,
           floor(random() * ${BIOS.length})::int as bio, random() < 0.3 as remote_ok,
           now() - random() * interval '400 days' as created_at
    from generate_series(1, ${PEOPLE}) g`;
  await sql`
    insert into profiles (user_id, display_name, role, bio, district, remote_ok, languages, is_demo, created_at, updated_at)
    select p.id, p.name, p.role,
           format((${BIOS}::text[])[1 + p.bio], case when p.english then s.label_en else s.label_de end, p.district),
           p.district, p.remote_ok, '{de}', true, p.created_at, p.created_at
    from bench_people_plan p join bench_skills s on s.idx = p.o1`;
  await sql`
    insert into profile_skills (user_id, direction, skill_id)
    select distinct p.id, x.direction, s.id
    from bench_people_plan p
    cross join lateral (values ('offer', p.o1, 1), ('offer', p.o2, 2), ('offer', p.o3, 3), ('offer', p.o4, 4),
                               ('seek', p.s1, 1), ('seek', p.s2, 2)) as x (direction, rank, position)
    join bench_skills s on s.idx = x.rank
    where x.position <= case when x.direction = 'offer' then p.offered else p.sought end`;

  await sql`
    create table bench_post_plan as
    select g as id, 1 + floor(random() * ${PEOPLE})::int as author_id, random() < 0.5 as english, random() < 0.55 as offer,
           floor(power(random(), 2) * ${n})::int as r1, floor(power(random(), 2) * ${n})::int as r2,
           floor(power(random(), 2) * ${n})::int as r3, 1 + floor(random() * 3)::int as skill_count,
           random() < 0.12 as remote, (${DISTRICTS}::text[])[1 + floor(random() * ${DISTRICTS.length})::int] as district,
           (${[...CATEGORIES]}::text[])[1 + floor(random() * ${CATEGORIES.length})::int] as category,
           (${[...EXCHANGE_MODES]}::text[])[1 + floor(random() * ${EXCHANGE_MODES.length})::int] as mode,
           floor(random() * 5)::int as title, floor(random() * 3)::int as description, random() as fate,
           now() - random() * interval '180 days' as created_at
    from generate_series(1, ${POSTS}) g`;
  await sql`
    insert into posts (id, author_id, kind, title, description, category, district, is_remote, exchange_mode, status,
                       expires_at, is_demo, created_at, updated_at) overriding system value
    select p.id, p.author_id, case when p.offer then 'offer' else 'need' end,
           left(format(
             case when p.english then (case when p.offer then ${TITLES.enOffer}::text[] else ${TITLES.enNeed}::text[] end)[1 + p.title]
                  else (case when p.offer then ${TITLES.deOffer}::text[] else ${TITLES.deNeed}::text[] end)[1 + p.title] end,
             case when p.english then s1.label_en else s1.label_de end,
             case when p.remote then 'Leipzig' else p.district end,
             case when p.english then s2.label_en else s2.label_de end), 120),
           format(
             case when p.english then (${DESCRIPTIONS.en}::text[])[1 + p.description] else (${DESCRIPTIONS.de}::text[])[1 + p.description] end,
             case when p.english then s1.label_en else s1.label_de end,
             case when p.remote then 'Leipzig' else p.district end,
             case when p.english then s2.label_en else s2.label_de end),
           p.category, case when p.remote then null else p.district end, p.remote, p.mode,
           case when p.fate < 0.05 then 'closed' else 'open' end,
           case when p.fate >= 0.05 and p.fate < 0.08 then now() - interval '1 day' else now() + (1 + p.fate * 80) * interval '1 day' end,
           true, p.created_at, p.created_at
    from bench_post_plan p join bench_skills s1 on s1.idx = p.r1 join bench_skills s2 on s2.idx = p.r2`;
  await sql`select setval(pg_get_serial_sequence('posts', 'id'), ${POSTS})`;
  await sql`
    insert into post_skills (post_id, skill_id, position)
    select id, skill_id, (row_number() over (partition by id order by position) - 1)::int
    from (
      select distinct on (p.id, s.id) p.id, s.id as skill_id, x.position
      from bench_post_plan p
      cross join lateral (values (p.r1, 1), (p.r2, 2), (p.r3, 3)) as x (rank, position)
      join bench_skills s on s.idx = x.rank
      where x.position <= p.skill_count
      order by p.id, s.id, x.position
    ) t`;
  await sql`drop table bench_post_plan`;
  await sql`drop table bench_people_plan`;
}

// ---------------------------------------------------------------------------------------------------------
// Indexing: the embedded engine's documents, and the same documents for MiniSearch.

type PeerDocument = {
  id: string;
  title: string;
  labels: string;
  description: string;
  created_at_ts: number;
  facets: Record<string, string[]>;
};

const POST_FACET_FIELDS = { kind: "kind", category: "category", role: "author_role", borough: "borough", district: "district", skill: "skill_ids", mode: "exchange_mode", remote: "is_remote" } as const;
const PERSON_FACET_FIELDS = { role: "role", borough: "borough", district: "district", skill: "skill_ids", remote: "remote_ok" } as const;

function facetValues(document: Record<string, unknown>, fields: Record<string, string>) {
  const values: Record<string, string[]> = {};
  for (const [facet, field] of Object.entries(fields)) {
    const value = document[field];
    values[facet] = (Array.isArray(value) ? value : [value]).filter((item) => item !== null && item !== undefined).map(String);
  }
  return values;
}

async function indexCorpus(sql: postgres.Sql) {
  const engine = createEmbeddedEngine(sql);
  const peer: Record<SearchIndexName, PeerDocument[]> = { posts: [], people: [] };
  const totals = await searchQueries.countReindexSources(sql);
  for (const index of ["posts", "people"] as const) {
    const bar = progressBar(`index ${index.padEnd(6)}`);
    let after = "0";
    let done = 0;
    for (;;) {
      const ids = index === "posts" ? await searchQueries.postIdsAfter(sql, after, INDEX_BATCH) : await searchQueries.personIdsAfter(sql, after, INDEX_BATCH);
      if (ids.length === 0) break;
      after = ids[ids.length - 1];
      if (index === "posts") {
        const { documents } = await buildPostDocuments(sql, ids);
        await engine.index("posts", documents);
        for (const document of documents) {
          peer.posts.push({
            id: document.id,
            title: document.title,
            labels: [...document.skill_labels_de, ...document.skill_labels_en, ...document.skill_alt_labels].join(" "),
            description: document.description,
            created_at_ts: document.created_at_ts,
            facets: facetValues(document, POST_FACET_FIELDS),
          });
        }
      } else {
        const { documents } = await buildPersonDocuments(sql, ids);
        await engine.index("people", documents);
        for (const document of documents) {
          peer.people.push({
            id: document.id,
            title: document.display_name,
            labels: [...document.skill_labels_de, ...document.skill_labels_en, ...document.skill_alt_labels].join(" "),
            description: document.bio,
            created_at_ts: document.created_at_ts,
            facets: facetValues(document, PERSON_FACET_FIELDS),
          });
        }
      }
      done += ids.length;
      bar.update(done, totals[index]);
    }
    bar.stop();
  }
  await sql`analyze`;
  return peer;
}

const foldTerm = (term: string) => term.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

function buildPeer(documents: PeerDocument[]) {
  const mini = new MiniSearch<PeerDocument>({
    fields: ["title", "labels", "description"],
    storeFields: ["created_at_ts", "facets"],
    processTerm: foldTerm,
    // Typo tolerance as documented (fuzzy 0.2), capped at two edits like Meilisearch's.
    searchOptions: { prefix: true, fuzzy: 0.2, maxFuzzy: 2, combineWith: "AND", boost: { title: 2, labels: 2 } },
  });
  mini.addAll(documents);
  return mini;
}

// ---------------------------------------------------------------------------------------------------------
// Queries

type BenchQuery = { type: string; request: SearchRequest };

/** A small seeded generator, so every run asks the same questions. */
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

function typo(word: string, random: () => number) {
  const letters = [...word];
  if (letters.length < 6) return word;
  const at = 2 + Math.floor(random() * (letters.length - 3));
  const kind = random();
  if (kind < 0.4) letters.splice(at, 1);
  else if (kind < 0.7) [letters[at], letters[at + 1]] = [letters[at + 1] ?? letters[at], letters[at]];
  else letters[at] = "eaiorn"[Math.floor(random() * 6)];
  return letters.join("");
}

async function buildQueries(sql: postgres.Sql): Promise<BenchQuery[]> {
  const random = seededRandom(7);
  // Popular skills are asked for more often, as on a real site.
  const skills = await sql<{ id: string; label_de: string; label_en: string }[]>`
    select id::text, label_de, label_en from bench_skills where idx < 800 order by idx`;
  const alternatives = await sql<{ label: string }[]>`
    select l.label from skill_labels l join bench_skills s on s.id = l.skill_id
    where s.idx < 400 and not l.is_preferred and length(l.label) between 4 and 40 order by s.idx, l.label`;
  const pickSkill = () => skills[Math.floor(Math.pow(random(), 2) * skills.length)];
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const label = () => {
    const skill = pickSkill();
    return random() < 0.5 ? skill.label_de : skill.label_en;
  };
  const words = ["Werkstatt", "Hilfe", "Projekt", "workshop", "Kurs", "Leipzig", "Initiative", "mentoring", "Raum", "support"];
  const randomFilters = (): SearchFilters => {
    const filters: SearchFilters = {};
    const roll = random();
    if (roll < 0.3) filters.kind = [pick(["offer", "need"])];
    else if (roll < 0.5) filters.district = [pick(DISTRICTS)];
    else if (roll < 0.65) filters.borough = [pick(Object.keys(LEIPZIG_DISTRICTS))];
    else if (roll < 0.8) filters.category = [pick(CATEGORIES)];
    else if (roll < 0.9) filters.remote = true;
    else filters.mode = [pick(EXCHANGE_MODES)];
    if (random() < 0.3) filters.skill = [pickSkill().id];
    return filters;
  };

  const queries: BenchQuery[] = [];
  const add = (type: string, query: string, filters: SearchFilters = {}, index: SearchIndexName = "posts") => {
    const sort = random() < 0.15 ? "newest" : "relevance";
    const page = random() < 0.1 ? 2 : 1;
    queries.push({ type, request: { index, query: cleanQuery(query), filters, sort, page, perPage: PER_PAGE, facets: true } });
  };
  while (queries.length < QUERIES + WARMUP) {
    const roll = random();
    if (roll < 0.3) add("skill", label());
    else if (roll < 0.45) add("typo", label().split(" ").map((word) => typo(word, random)).join(" "));
    else if (roll < 0.55) add("synonym", pick(alternatives).label);
    else if (roll < 0.67) add("two words", `${label().split(" ")[0]} ${pick(words)}`);
    else if (roll < 0.82) add("facets", label(), randomFilters());
    else if (roll < 0.9) add("empty+facets", "", randomFilters());
    else add("people", label(), random() < 0.3 ? { role: [pick(ROLES)] } : {}, "people");
  }
  return queries;
}

// ---------------------------------------------------------------------------------------------------------
// Running

function peerSearch(peers: Record<SearchIndexName, MiniSearch<PeerDocument>>, request: SearchRequest) {
  const mini = peers[request.index];
  const filters = request.filters;
  const wanted = Object.entries(filters).filter(([, value]) => value !== undefined && (!Array.isArray(value) || value.length));
  const filter = (result: MiniResult) => {
    const facets = result.facets as Record<string, string[]>;
    return wanted.every(([facet, value]) =>
      facet === "remote" ? facets.remote.includes("true") : (value as string[]).some((item) => facets[facet]?.includes(item)),
    );
  };
  let results = request.query ? mini.search(request.query, { filter }) : mini.search(MiniSearch.wildcard, { filter });
  if (request.sort === "newest" || !request.query) results = results.sort((a, b) => (b.created_at_ts as number) - (a.created_at_ts as number));
  const counts: Record<string, Map<string, number>> = {};
  for (const result of results) {
    for (const [facet, values] of Object.entries(result.facets as Record<string, string[]>)) {
      const map = (counts[facet] ??= new Map());
      for (const value of values) map.set(value, (map.get(value) ?? 0) + 1);
    }
  }
  const facets = Object.fromEntries(
    Object.entries(counts).map(([facet, map]) => [facet, [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, facet === "skill" ? SKILL_FACET_SIZE : undefined)]),
  );
  const offset = (request.page - 1) * request.perPage;
  return { total: results.length, hits: results.slice(offset, offset + request.perPage), facets };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const round = (value: number) => Math.round(value * 100) / 100;

async function measure(queries: BenchQuery[], run: (request: SearchRequest) => Promise<{ total: number }> | { total: number }, label: string) {
  for (const query of queries.slice(0, WARMUP)) await run(query.request);
  const timed = queries.slice(WARMUP);
  const latencies: { type: string; ms: number; total: number }[] = [];
  const bar = progressBar(`${label.padEnd(10)}`);
  for (const [position, query] of timed.entries()) {
    const started = performance.now();
    const result = await run(query.request);
    latencies.push({ type: query.type, ms: performance.now() - started, total: result.total });
    if (position % 25 === 0 || position === timed.length - 1) bar.update(position + 1, timed.length);
  }
  bar.stop();
  return latencies;
}

function summary(latencies: { ms: number }[]) {
  const ms = latencies.map((entry) => entry.ms);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
}

async function main() {
  const started = performance.now();
  const { database, label, cleanup } = await openBenchDatabase();
  try {
    useDatabase(database);
    const sql = database.sql;
    console.log(`Database: ${label}`);
    await migrate(sql);
    await loadTaxonomySeed(sql);

    let phase = performance.now();
    console.log(`Generating ${POSTS.toLocaleString("en")} posts and ${PEOPLE.toLocaleString("en")} people …`);
    await generateCorpus(sql);
    const generateSeconds = (performance.now() - phase) / 1000;

    phase = performance.now();
    const peerDocuments = await indexCorpus(sql);
    const indexSeconds = (performance.now() - phase) / 1000;

    phase = performance.now();
    const peers = { posts: buildPeer(peerDocuments.posts), people: buildPeer(peerDocuments.people) };
    const peerIndexSeconds = (performance.now() - phase) / 1000;

    const queries = await buildQueries(sql);
    const engine = createEmbeddedEngine(sql);
    const embedded = await measure(queries, (request) => engine.search(request), "embedded");
    const peer = await measure(queries, (request) => peerSearch(peers, request), "minisearch");

    const [{ visible_posts, people }] = await sql<{ visible_posts: number; people: number }[]>`
      select (select count(*)::int from search_posts where expires_at > now()) as visible_posts, (select count(*)::int from search_people) as people`;
    const ours = summary(embedded);
    const theirs = summary(peer);
    const types = [...new Set(queries.map((query) => query.type))];
    const rows: [string, string, string][] = [
      ["", `embedded (${label})`, "MiniSearch 7 (in process)"],
      ["p50 ms", round(ours.p50).toString(), round(theirs.p50).toString()],
      ["p95 ms", round(ours.p95).toString(), round(theirs.p95).toString()],
      ["p99 ms", round(ours.p99).toString(), round(theirs.p99).toString()],
      ["mean ms", round(ours.mean).toString(), round(theirs.mean).toString()],
      ...types.map((type): [string, string, string] => {
        const mine = embedded.filter((entry) => entry.type === type);
        const other = peer.filter((entry) => entry.type === type);
        return [`p95 ${type} (${mine.length})`, round(summary(mine).p95).toString(), round(summary(other).p95).toString()];
      }),
      ["queries with hits", String(embedded.filter((entry) => entry.total > 0).length), String(peer.filter((entry) => entry.total > 0).length)],
      ["index build s", round(indexSeconds).toString(), round(peerIndexSeconds).toString()],
    ];
    const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
    console.log("");
    console.log(`Corpus: ${POSTS} posts (${visible_posts} visible), ${people} people; generated in ${round(generateSeconds)} s. ${QUERIES} timed queries after ${WARMUP} warm-up, facets on, ${PER_PAGE} hits.`);
    for (const row of rows) console.log(`${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padStart(widths[2])}`);
    console.log(`Total run time ${round((performance.now() - started) / 1000)} s.`);
    console.log(
      JSON.stringify({
        bench: "search",
        posts: POSTS,
        people: PEOPLE,
        queries: embedded.length,
        p50_ms: round(ours.p50),
        p95_ms: round(ours.p95),
        p99_ms: round(ours.p99),
        peer: "minisearch",
        peer_p95_ms: round(theirs.p95),
        ratio: round(ours.p95 / theirs.p95),
        target: 2,
      }),
    );
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
