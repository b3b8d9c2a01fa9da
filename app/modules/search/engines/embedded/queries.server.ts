import type postgres from "postgres";
import type { Db } from "~/lib/db.server";
import { allOf, anyOf, skillsTsquery } from "./tsquery";
import type { FacetCount, PersonDocument, PersonHit, PostDocument, PostHit, SearchFilters, SearchSort } from "../../types";

type Fragment = postgres.Fragment;

/**
 * Skills whose labels look like a mistyped query key ("holzbearbeitng" → Holzbearbeitung), best first, at
 * most `perKey` per key: trigram similarity ≥ `minSimilarity` through the trigram index on skill_labels, so a
 * typo in the first letters is found too. Keys shorter than 5 characters are too ambiguous.
 */
export async function similarSkillsForKeys(sql: Db, keys: string[], minSimilarity: number, perKey: number) {
  const usable = keys.filter((key) => key.length >= 5);
  if (usable.length === 0) return [];
  return sql<{ key: string; skill_id: string }[]>`
    select q.key, c.skill_id
    from unnest(${usable}::text[]) as q(key)
    cross join lateral (
      select l.skill_id, max(similarity(l.normalized, q.key)) as score
      from skill_labels l
      where l.normalized % q.key
        and length(l.normalized) between length(q.key) - 3 and length(q.key) + 3
        and similarity(l.normalized, q.key) >= ${minSimilarity}
      group by l.skill_id
      order by score desc, l.skill_id
      limit ${perKey}
    ) c`;
}

/** Skills that have one of these keys as a label (any language): a label the documents do not carry still finds its skill. */
const skillsWithLabelKeys = (sql: Db, keys: string[]) => sql`
    select distinct l.normalized as key, coalesce(s.merged_into_id, s.id)::text as skill_id
    from skill_labels l join skills s on s.id = l.skill_id
    where l.normalized = any(${keys}::text[])`;

/** The same on its own: the skills a corrected query names (asked only for queries with typos). */
export async function skillsNamedByLabelKeys(sql: Db, keys: string[]) {
  if (keys.length === 0) return [];
  return sql<{ key: string; skill_id: string }[]>`${skillsWithLabelKeys(sql, keys)}`;
}

/**
 * Skills with one label whose key holds every one of these keys ("show" and "production" in
 * "radioshowproduction"), at most `limit` + 1 (more means the words are too common to tell). Keys are
 * normalised (letters, digits, # and +: nothing LIKE treats as a pattern); each condition uses the trigram index.
 */
export async function skillsWithOneLabelHolding(sql: Db, keys: string[], limit: number) {
  if (keys.length === 0) return [];
  const conditions = keys.map((key) => sql`l.normalized like ${"%" + key + "%"}`);
  const rows = await sql<{ skill_id: string }[]>`
    select distinct coalesce(s.merged_into_id, s.id)::text as skill_id
    from skill_labels l join skills s on s.id = l.skill_id
    where ${joinWith(sql, conditions, "and")}
    limit ${limit + 1}`;
  return rows.map((row) => row.skill_id);
}

/**
 * Skills related to the skills that have one of these keys as a label (skill_relations, both directions
 * stored), closest first, at most `perSkill` per skill: a query naming a skill also finds its neighbours.
 */
const relatedSkillsForLabelKeys = (sql: Db, keys: string[], perSkill: number) => sql`
    select key, skill_id, related_skill_id, weight from (
      select l.key, r.skill_id::text, r.related_skill_id::text, r.weight,
             row_number() over (partition by l.key, r.skill_id order by r.weight desc, r.related_skill_id) as n
      from (select distinct l.normalized as key, coalesce(s.merged_into_id, s.id) as skill_id
            from skill_labels l join skills s on s.id = l.skill_id where l.normalized = any(${keys}::text[])) l
      join skill_relations r on r.skill_id = l.skill_id
      join skills related on related.id = r.related_skill_id and related.merged_into_id is null
    ) ranked
    where n <= ${perSkill}`;

export type WordCandidate = { word: string; spelling: string; labels: number; de: string | null; en: string | null };
export type WordFacts = {
  word: string;
  de: string[];
  en: string[];
  known: boolean;
  candidates: WordCandidate[];
};

export type AskedWord = {
  word: string;
  /** lower-case, unaccented, letters and digits only (so it needs no LIKE escaping) */
  folded: string;
  prefix: boolean;
  correctable: boolean;
  /** folded and folded with one letter left out: shared with every label word one edit away (search_word_variants) */
  variants: string[];
};

/**
 * Per query word, in one statement: its German and English lexemes (for the tsquery, see search/tsquery.ts);
 * whether the skill labels know it (the word, a word with the same stem, or, as the last word typed, a word it
 * begins, a range on the byte-ordered index); and for a correctable word they do not know, the label words that share a one-letter-deleted
 * variant with it (within one edit, whatever letter the typo is in), most alike by trigrams first.
 */
const wordFacts = (sql: Db, words: AskedWord[], perWord: number) => {
  const variants = words.flatMap((entry, index) => entry.variants.map((variant) => ({ index, variant })));
  return sql`
    with asked as (
      select * from unnest(${words.map((entry) => entry.word)}::text[], ${words.map((entry) => entry.folded)}::text[],
                           ${words.map((entry) => (entry.prefix ? 1 : 0))}::int[], ${words.map((entry) => (entry.correctable ? 1 : 0))}::int[])
        with ordinality as q(word, folded, prefix, correctable, n)
    ), variants as (
      select * from unnest(${variants.map((entry) => entry.index + 1)}::int[], ${variants.map((entry) => entry.variant)}::text[]) as v(n, variant)
    )
    select q.n, q.word, s.de, s.en, k.known,
      case when k.known or q.correctable = 0 then '[]'::json else coalesce((
        select json_agg(json_build_object('word', c.word, 'spelling', c.spelling, 'labels', c.labels, 'de', c.stem_de, 'en', c.stem_en)
                        order by c.score desc, c.labels desc, c.word)
        from (
          select w.word, w.spelling, w.labels, w.stem_de, w.stem_en, similarity(w.word, q.folded) as score
          from search_words w
          where w.word in (select x.word from variants v join search_word_variants x on x.variant = v.variant where v.n = q.n)
          order by score desc, w.labels desc, w.word limit ${perWord}
        ) c), '[]'::json) end as candidates
    from asked q
    cross join lateral (
      select tsvector_to_array(to_tsvector('nl_german', q.word)) as de, tsvector_to_array(to_tsvector('nl_english', q.word)) as en
    ) s
    cross join lateral (
      select q.correctable = 0
        or exists (select 1 from search_words w where w.word = q.folded)
        or exists (select 1 from search_words w where w.stem_de = s.de[1])
        or exists (select 1 from search_words w where w.stem_en = s.en[1])
        or (q.prefix = 1 and exists (select 1 from search_words w
                                     where (w.word collate "C") >= q.folded and (w.word collate "C") < q.folded || ${"\u{10FFFF}"})) as known
    ) k`;
};

/**
 * What the skill labels say about a query, in one statement (one round trip instead of three): skills with a
 * label equal to one of `keys`, the facts about each word (wordFacts, in the order asked), and the skills
 * related to those named by `relatedKeys`. A part with nothing to look up is not planned.
 */
export async function queryFacts(
  sql: Db,
  asked: { keys: string[]; words: AskedWord[]; perWord: number; relatedKeys: string[]; perSkill: number },
) {
  const none = sql`'[]'::json`;
  const [row] = await sql<
    [
      {
        labels: { key: string; skill_id: string }[];
        facts: WordFacts[];
        related: { key: string; skill_id: string; related_skill_id: string; weight: number }[];
      },
    ]
  >`
    select
      ${asked.keys.length ? sql`(select coalesce(json_agg(x), '[]'::json) from (${skillsWithLabelKeys(sql, asked.keys)}) x)` : none} as labels,
      ${asked.words.length ? sql`(select coalesce(json_agg(x order by x.n), '[]'::json) from (${wordFacts(sql, asked.words, asked.perWord)}) x)` : none} as facts,
      ${asked.relatedKeys.length ? sql`(select coalesce(json_agg(x), '[]'::json) from (${relatedSkillsForLabelKeys(sql, asked.relatedKeys, asked.perSkill)}) x)` : none} as related`;
  return row;
}

/** Label words that look like a long word two edits away (trigram index); only asked when one edit finds none. */
export async function similarWords(sql: Db, folded: string, perWord: number) {
  return sql<WordCandidate[]>`
    select w.word, w.spelling, w.labels, w.stem_de as de, w.stem_en as en
    from search_words w where w.word % ${folded}
    order by similarity(w.word, ${folded}) desc, w.labels desc, w.word limit ${perWord}`;
}

// ---------------------------------------------------------------------------------------------------------
// The embedded engine's documents.

// postgres.js serialises a json parameter itself; a pre-stringified value would arrive as one JSON string.
const asJson = (sql: Db, documents: PostDocument[] | PersonDocument[]) => sql.json(documents as unknown as postgres.JSONValue);

/**
 * The ranked text of a document as r.rank_tsv: its headline (a post's title, a person's name) and its skills'
 * labels in both languages weigh A, alternative labels B, skill keys (C#, 3D-Druck) A. Expects documents as d.
 */
const rankedText = (sql: Db, headline: Fragment) => sql`
    cross join lateral (
      select ${headline} || ' ' || array_to_string(d.skill_labels_de || d.skill_labels_en, ' ') as primary_text,
             array_to_string(d.skill_alt_labels, ' ') as alt_text
    ) t
    cross join lateral (
      select setweight(to_tsvector('nl_german', t.primary_text) || to_tsvector('nl_english', t.primary_text), 'A')
        || setweight(to_tsvector('nl_german', t.alt_text) || to_tsvector('nl_english', t.alt_text), 'B')
        || setweight(search_key_lexemes(d.skill_keys, d.skill_ids), 'A') as rank_tsv
    ) r`;

export async function upsertPostDocuments(sql: Db, documents: PostDocument[]) {
  if (documents.length === 0) return;
  await sql`
    insert into search_posts (id, author_id, kind, category, district, borough, is_remote, exchange_mode, status,
      author_name, author_role, title, description, skill_ids, skills, tsv, rank_tsv, created_at, expires_at, indexed_at)
    select d.id, d.author_id, d.kind, d.category, d.district, d.borough, d.is_remote, d.exchange_mode, d.status,
      d.author_name, d.author_role, d.title, d.description, d.skill_ids, d.skills,
      r.rank_tsv || setweight(to_tsvector('nl_german', d.description) || to_tsvector('nl_english', d.description), 'C'),
      r.rank_tsv, d.created_at, d.expires_at, now()
    from jsonb_to_recordset(${asJson(sql, documents)}) as d(
      id bigint, author_id bigint, kind text, category text, district text, borough text, is_remote boolean,
      exchange_mode text, status text, author_name text, author_role text, title text, description text,
      skill_ids bigint[], skills jsonb, skill_keys text[], skill_labels_de text[], skill_labels_en text[],
      skill_alt_labels text[], created_at timestamptz, expires_at timestamptz)
    ${rankedText(sql, sql`d.title`)}
    on conflict (id) do update set
      author_id = excluded.author_id, kind = excluded.kind, category = excluded.category, district = excluded.district,
      borough = excluded.borough, is_remote = excluded.is_remote, exchange_mode = excluded.exchange_mode,
      status = excluded.status, author_name = excluded.author_name, author_role = excluded.author_role,
      title = excluded.title, description = excluded.description, skill_ids = excluded.skill_ids,
      skills = excluded.skills, tsv = excluded.tsv, rank_tsv = excluded.rank_tsv,
      created_at = excluded.created_at, expires_at = excluded.expires_at, indexed_at = excluded.indexed_at`;
}

export async function upsertPersonDocuments(sql: Db, documents: PersonDocument[]) {
  if (documents.length === 0) return;
  await sql`
    insert into search_people (id, display_name, role, bio, district, borough, remote_ok, skill_ids,
      offered_skill_ids, sought_skill_ids, skills, tsv, rank_tsv, created_at, indexed_at)
    select d.id, d.display_name, d.role, d.bio, d.district, d.borough, d.remote_ok, d.skill_ids,
      d.offered_skill_ids, d.sought_skill_ids, d.skills,
      r.rank_tsv || setweight(to_tsvector('nl_german', d.bio) || to_tsvector('nl_english', d.bio), 'C'),
      r.rank_tsv, d.created_at, now()
    from jsonb_to_recordset(${asJson(sql, documents)}) as d(
      id bigint, display_name text, role text, bio text, district text, borough text, remote_ok boolean,
      skill_ids bigint[], offered_skill_ids bigint[], sought_skill_ids bigint[], skills jsonb, skill_keys text[],
      skill_labels_de text[], skill_labels_en text[], skill_alt_labels text[], created_at timestamptz)
    ${rankedText(sql, sql`d.display_name`)}
    on conflict (id) do update set
      display_name = excluded.display_name, role = excluded.role, bio = excluded.bio, district = excluded.district,
      borough = excluded.borough, remote_ok = excluded.remote_ok, skill_ids = excluded.skill_ids,
      offered_skill_ids = excluded.offered_skill_ids, sought_skill_ids = excluded.sought_skill_ids,
      skills = excluded.skills, tsv = excluded.tsv, rank_tsv = excluded.rank_tsv,
      created_at = excluded.created_at, indexed_at = excluded.indexed_at`;
}

export async function deletePostDocuments(sql: Db, ids: string[]) {
  if (ids.length === 0) return;
  await sql`delete from search_posts where id = any(${ids}::bigint[])`;
}

export async function deletePostDocumentsOfAuthors(sql: Db, authorIds: string[]) {
  if (authorIds.length === 0) return;
  await sql`delete from search_posts where author_id = any(${authorIds}::bigint[])`;
}

export async function deletePersonDocuments(sql: Db, ids: string[]) {
  if (ids.length === 0) return;
  await sql`delete from search_people where id = any(${ids}::bigint[])`;
}

/** After a full reindex: documents the rebuild did not touch belong to nothing visible any more. */
export async function deleteDocumentsIndexedBefore(sql: Db, index: "posts" | "people", before: Date) {
  if (index === "posts") await sql`delete from search_posts where indexed_at < ${before}`;
  else await sql`delete from search_people where indexed_at < ${before}`;
}

export async function databaseNow(sql: Db) {
  const [row] = await sql<[{ now: Date }]>`select now() as now`;
  return row.now;
}

// ---------------------------------------------------------------------------------------------------------
// Embedded search: one statement gives the page of hits, the total and the facet counts.

/** One query token as tsquery text (see search/tsquery.ts); "" matches nothing / is neutral. */
export type TokenPlan = {
  /** As typed: its words, its skill key, skills with a label equal to it. */
  literal: string;
  /** Only stop words of German or English ("und", "of", "für"): required with every token, ignored with most. */
  weak?: boolean;
  /** Skills the token names by itself ("Kompostierung" in "Kompostierung Kurs"): their documents rank higher. */
  named?: string[];
  /** Its unknown words corrected ("fnster" → "fenster"), and skills whose labels look like it: ranked below. */
  corrected: string;
};

export type EmbeddedSearchPlan = {
  tokens: TokenPlan[];
  /** The whole query as a skill key ("timberconstruction") or label, literal and corrected. */
  phrase?: TokenPlan;
  /** The skills the whole query names (it is one of their labels): documents tagged with them rank first. */
  named?: string[];
  /** The skills the query names once its typos are corrected: their documents rank first among the corrected matches. */
  correctedNamed?: string[];
  /** Skills with one label that holds every word of the query: their documents rank above those with the words spread. */
  together?: string[];
  /** Skills related to the skill the query names (skill_relations), with their weight: found too, ranked below. */
  related?: { ids: string[]; weights: number[] };
  /**
   * "all": every token matches (literally or corrected). Otherwise the positions of the tokens that must all
   * match, or of which one must (a search with too few "all" results leaves out the tokens that match nothing,
   * then the most common ones); documents then rank by how many of the tokens they match.
   */
  match: MatchLevel;
  filters: SearchFilters;
  sort: SearchSort;
  limit: number;
  offset: number;
  excludeUserIds: string[];
  facets: boolean;
  /** false: the caller already knows the total and facet counts; only the page of hits is read */
  counts: boolean;
  skillFacetSize: number;
};

export type MatchLevel = "all" | { all: number[] } | { any: number[] };

type RawSearchRow<H> = { total: number; hits: H[]; facets: [string, string, number][] | null };

const joinWith = (sql: Db, parts: Fragment[], separator: "and" | "+"): Fragment =>
  parts.reduce((joined, part) => (separator === "and" ? sql`${joined} and ${part}` : sql`${joined} + ${part}`));

const either = (token: TokenPlan) => anyOf([token.literal, token.corrected]);

/** The whole query at its match level, each token literally or corrected, or the phrase. */
export function planTsquery(plan: EmbeddedSearchPlan): string {
  const { match } = plan;
  let combined: string;
  // match levels hold positions of plan.tokens (the engine builds both together)
  if (match === "all") combined = allOf(plan.tokens.map(either));
  else if ("all" in match) combined = allOf(match.all.map((position) => either(plan.tokens[position]!)));
  else combined = anyOf(match.any.map((position) => either(plan.tokens[position]!)));
  return anyOf([combined, ...(plan.phrase ? [either(plan.phrase)] : []), skillsTsquery(plan.related?.ids ?? [])]);
}

/**
 * How many documents each token matches, counted up to `cap` (a GIN look-up each, cut short): tells the
 * tokens that match nothing and the most common ones, which a search with too few results leaves out first.
 */
export async function tokenFrequencies(outer: Db, index: "posts" | "people", tokens: string[], cap: number) {
  return withIndexScans(outer, true, async (sql) => {
    const table = sql(index === "posts" ? "search_posts" : "search_people");
    const counts: number[] = [];
    for (const tsquery of tokens) {
      const [row] = await sql<[{ count: number }]>`
        select count(*)::int as count from (select 1 from ${table} d where d.tsv @@ ${tsquery}::tsquery limit ${cap}) hits`;
      counts.push(row.count);
    }
    return counts;
  });
}

/**
 * A document's rank_tsv as r.rank_tsv, decompressed once. Stored compressed (about 1 KB of a 3–10 KB tsvector),
 * it would be decompressed again by every test of the ranking (each token, the phrase, ts_rank): 300 ms for the
 * 5,000 matches of a common skill at 100,000 posts, where once per row costs a fifth of that. OFFSET 0 keeps the
 * planner from copying the expression into each use; the search condition on d.tsv still filters the scan first.
 */
const unpackedRankText = (sql: Db) => sql`cross join lateral (select d.rank_tsv || ''::tsvector as rank_tsv offset 0) r`;

const needsTiers = (plan: EmbeddedSearchPlan) =>
  plan.match !== "all" ||
  Boolean(plan.together?.length) ||
  Boolean(plan.related?.ids.length) ||
  (plan.tokens.length > 1 && plan.tokens.some((token) => token.named?.length)) ||
  plan.tokens.some((token) => token.corrected) ||
  Boolean(plan.phrase?.corrected);

/**
 * Matching and relevance: one tsquery parameter, one GIN index scan. Ranking: when corrections or a relaxed match
 * are in play, documents first by tier — 2 per token found as typed in the title or skill labels (rank_tsv), 1
 * per token found there only through a correction, the phrase counting as every token typed — then by ts_rank
 * on rank_tsv, so description-only matches come last within a tier.
 */
function matchCondition(sql: Db, plan: EmbeddedSearchPlan): { where: Fragment; score: Fragment; related: Fragment } {
  const none = sql`null::text`;
  if (plan.tokens.length === 0) return { where: sql`true`, score: sql`0::real`, related: none };
  const text = planTsquery(plan);
  if (!text) return { where: sql`false`, score: sql`0::real`, related: none };
  const query = sql`${text}::tsquery`;
  const named = plan.named?.length ? plan.named : undefined;
  const rank = sql`ts_rank(r.rank_tsv, ${query})`;
  if (!needsTiers(plan)) {
    // Tagged with the skill the query names: above documents that only mention its words.
    const score = named ? sql`((d.skill_ids && ${named}::bigint[])::int + ${rank} / (1 + ${rank}))::real` : rank;
    return { where: sql`d.tsv @@ ${query}`, score, related: none };
  }
  // Tiers look at title and skill labels (rank_tsv, inline): unpacking every match's whole tsv costs more than
  // the rest of the ranking, and a word only in the description says less anyway.
  const matches = (tsquery: string) => (tsquery ? sql`r.rank_tsv @@ ${tsquery}::tsquery` : sql`false`);
  const counted = plan.tokens.filter((token) => !token.weak);
  // A token found as typed counts 2, 3 on a document tagged with the skill the token names.
  const literal = (token: TokenPlan) => (token.named?.length ? sql`2 + (d.skill_ids && ${token.named}::bigint[])::int` : sql`2`);
  const perToken = (counted.length ? counted : plan.tokens).map((token) =>
    token.corrected
      ? sql`(case when ${matches(token.literal)} then ${literal(token)} when ${matches(token.corrected)} then 1 else 0 end)`
      : sql`(case when ${matches(token.literal)} then ${literal(token)} else 0 end)`,
  );
  let tier = sql`(${joinWith(sql, perToken, "+")})`;
  if (plan.phrase?.literal)
    tier = sql`greatest(${tier}, case when ${matches(plan.phrase.literal)} then ${3 * plan.tokens.length} else 0 end)`;
  if (named) tier = sql`greatest(${tier}, case when d.skill_ids && ${named}::bigint[] then ${3 * plan.tokens.length + 1} else 0 end)`;
  // Tagged with the skill the corrected query names: above any mix of tokens found as typed and corrected (at
  // most 3 per token, less one for the corrected), below the phrase as typed; for one word, between the word
  // found as typed (2) and corrected (1). ts_rank then adds less than half a step, so tiers never mix.
  if (plan.correctedNamed?.length) {
    tier = sql`greatest(${tier}, case when d.skill_ids && ${plan.correctedNamed}::bigint[] then ${3 * plan.tokens.length - 1.5}::real else 0 end)`;
  }
  // Tagged with a skill that has all the words in one label: half a step above every word found in the title or
  // skill labels (2 each), since they may be spread over several skills there.
  if (plan.together?.length) {
    tier = sql`greatest(${tier}, case when d.skill_ids && ${plan.together}::bigint[] then ${2 * perToken.length + 0.5}::real else 0 end)`;
  }
  const fraction = sql`0.5 * ${rank} / (1 + ${rank})`;
  const related = plan.related;
  if (!related?.ids.length) return { where: sql`d.tsv @@ ${query}`, score: sql`(${tier} + ${fraction})::real`, related: none };
  // Found only through a related skill: below every direct match (tier ≥ 1), the closer relation first.
  const weights = sql`unnest(${related.ids}::bigint[], ${related.weights}::real[]) as r(id, weight)`;
  const relatedWeight = sql`(select max(r.weight) from ${weights} where r.id = any(d.skill_ids))`;
  const relatedSkill = sql`(select r.id::text from ${weights} where r.id = any(d.skill_ids) order by r.weight desc, r.id limit 1)`;
  return {
    where: sql`d.tsv @@ ${query}`,
    score: sql`(case when ${tier} > 0 then ${tier} + ${fraction} else coalesce(${relatedWeight}, 0) * 0.99 + ${rank} / (1 + ${rank}) * 0.01 end)::real`,
    related: sql`case when ${tier} = 0 then ${relatedSkill} end`,
  };
}

const hasValues = (values: string[] | undefined): values is string[] => Boolean(values && values.length);

function postFilterCondition(sql: Db, plan: EmbeddedSearchPlan): Fragment {
  const { filters } = plan;
  const parts: Fragment[] = [sql`d.status = 'open'`, sql`d.expires_at > now()`];
  if (hasValues(filters.kind)) parts.push(sql`d.kind = any(${filters.kind}::text[])`);
  if (hasValues(filters.category)) parts.push(sql`d.category = any(${filters.category}::text[])`);
  if (hasValues(filters.role)) parts.push(sql`d.author_role = any(${filters.role}::text[])`);
  if (hasValues(filters.borough)) parts.push(sql`d.borough = any(${filters.borough}::text[])`);
  if (hasValues(filters.district)) parts.push(sql`d.district = any(${filters.district}::text[])`);
  if (hasValues(filters.mode)) parts.push(sql`d.exchange_mode = any(${filters.mode}::text[])`);
  if (hasValues(filters.skill)) parts.push(sql`d.skill_ids && ${filters.skill}::bigint[]`);
  if (filters.remote) parts.push(sql`d.is_remote`);
  if (plan.excludeUserIds.length) parts.push(sql`d.author_id <> all(${plan.excludeUserIds}::bigint[])`);
  return joinWith(sql, parts, "and");
}

function personFilterCondition(sql: Db, plan: EmbeddedSearchPlan): Fragment {
  const { filters } = plan;
  const parts: Fragment[] = [sql`true`];
  if (hasValues(filters.role)) parts.push(sql`d.role = any(${filters.role}::text[])`);
  if (hasValues(filters.borough)) parts.push(sql`d.borough = any(${filters.borough}::text[])`);
  if (hasValues(filters.district)) parts.push(sql`d.district = any(${filters.district}::text[])`);
  if (hasValues(filters.skill)) parts.push(sql`d.skill_ids && ${filters.skill}::bigint[]`);
  if (filters.remote) parts.push(sql`d.remote_ok`);
  if (plan.excludeUserIds.length) parts.push(sql`d.id <> all(${plan.excludeUserIds}::bigint[])`);
  return joinWith(sql, parts, "and");
}

const order = (sql: Db, sort: SearchSort) =>
  sort === "newest" ? sql`created_at desc, id desc` : sql`score desc, created_at desc, id desc`;

/** What differs between the two document tables when searching them. */
type DocumentTable = {
  table: string;
  filter: (sql: Db, plan: EmbeddedSearchPlan) => Fragment;
  /** single-valued facets: facet name and column */
  facets: [name: string, column: string][];
  /** the hit as JSON object entries, from documents aliased d */
  hitColumns: (sql: Db) => Fragment;
};

const POST_DOCUMENTS: DocumentTable = {
  table: "search_posts",
  filter: postFilterCondition,
  facets: [
    ["kind", "kind"],
    ["category", "category"],
    ["role", "author_role"],
    ["borough", "borough"],
    ["district", "district"],
    ["mode", "exchange_mode"],
    ["remote", "is_remote"],
  ],
  hitColumns: (sql) => sql`
    'id', d.id::text, 'kind', d.kind, 'title', d.title, 'description', d.description, 'category', d.category,
    'district', d.district, 'is_remote', d.is_remote, 'exchange_mode', d.exchange_mode,
    'author_id', d.author_id::text, 'author_name', d.author_name, 'author_role', d.author_role,
    'skills', d.skills, 'created_at', d.created_at`,
};

const PERSON_DOCUMENTS: DocumentTable = {
  table: "search_people",
  filter: personFilterCondition,
  facets: [
    ["role", "role"],
    ["borough", "borough"],
    ["district", "district"],
    ["remote", "remote_ok"],
  ],
  hitColumns: (sql) => sql`
    'id', d.id::text, 'display_name', d.display_name, 'role', d.role, 'bio', d.bio, 'district', d.district,
    'remote_ok', d.remote_ok, 'skills', d.skills, 'created_at', d.created_at`,
};

const joined = (sql: Db, parts: Fragment[], separator: "," | " ") =>
  parts.reduce((all, part) => (separator === "," ? sql`${all}, ${part}` : sql`${all} ${part}`));

/** One pass over the matches for the single-valued facets (grouping sets), one for the skills. */
function facetCounts(sql: Db, documents: DocumentTable, plan: EmbeddedSearchPlan): Fragment {
  if (!plan.facets) return sql`null::json`;
  const columns = documents.facets.map(([, column]) => sql`${sql(column)}`);
  // every document table has facets (a constant list), and columns has one entry per facet
  const [lastName] = documents.facets[documents.facets.length - 1]!;
  const names = documents.facets.slice(0, -1).map(([name], index) => sql`when grouping(${columns[index]!}) = 0 then ${name}::text`);
  return sql`(select json_agg(json_build_array(f.facet, f.value, f.count)) from (
      select case ${joined(sql, names, " ")} else ${lastName}::text end as facet,
             coalesce(${joined(
               sql,
               columns.map((column) => sql`${column}::text`),
               ",",
             )}) as value,
             count(*)::int as count
      from matched
      group by grouping sets (${joined(
        sql,
        columns.map((column) => sql`(${column})`),
        ",",
      )})
      union all (select 'skill', skill_id::text, count(*)::int from matched, unnest(skill_ids) as skill_id
                 group by skill_id order by count(*) desc, skill_id limit ${plan.skillFacetSize})
    ) f where f.value is not null)`;
}

/** The page of hits, the total and the facet counts in one statement. */
/**
 * Runs a search with words in a transaction that turns sequential scans off. The planner prices `tsv @@ query`
 * like any cheap operator, so for a word it expects in more than a few percent of the documents it reads the
 * whole table and unpacks every document's (TOASTed) tsvector: 70 ms at 10,000 posts where the GIN index and
 * a bitmap of the matches take 1 ms. Listings without words keep their plans.
 */
export async function withIndexScans<T>(sql: Db, words: boolean, run: (sql: Db) => Promise<T>): Promise<T> {
  if (!words || !("begin" in sql)) return run(sql);
  return (await sql.begin(async (tx) => {
    // Not awaited: postgres.js sends it in one write with the search's first statement on this connection, which
    // runs after it (a failure fails the transaction). One round trip less per search with words.
    void tx`set local enable_seqscan = off`.execute();
    return run(tx);
  })) as T;
}

async function searchDocuments<H>(outer: Db, documents: DocumentTable, plan: EmbeddedSearchPlan) {
  return withIndexScans(outer, plan.tokens.length > 0, (sql) => searchDocumentsWith<H>(sql, documents, plan));
}

async function searchDocumentsWith<H>(sql: Db, documents: DocumentTable, plan: EmbeddedSearchPlan) {
  const table = sql`${sql(documents.table)}`;
  const filter = documents.filter(sql, plan);
  const hitColumns = documents.hitColumns(sql);
  if (!plan.counts) return hitsOnly<H>(sql, plan, table, filter, hitColumns);
  const { where, score, related } = matchCondition(sql, plan);
  const facetColumns = joined(
    sql,
    documents.facets.map(([, column]) => sql`d.${sql(column)}`),
    ",",
  );
  const [row] = await sql<[RawSearchRow<H>]>`
    with matched as materialized (
      select d.id, ${facetColumns}, d.skill_ids, d.created_at, ${score} as score, ${related} as related_skill_id
      from ${table} d ${unpackedRankText(sql)}
      where ${filter} and ${where}
    ), page as (
      select id, score, created_at, related_skill_id from matched order by ${order(sql, plan.sort)} limit ${plan.limit} offset ${plan.offset}
    )
    select
      (select count(*)::int from matched) as total,
      (select coalesce(json_agg(json_build_object(${hitColumns}, 'related_skill_id', p.related_skill_id) order by ${plan.sort === "newest" ? sql`p.created_at desc, p.id desc` : sql`p.score desc, p.created_at desc, p.id desc`}), '[]'::json)
        from page p join ${table} d on d.id = p.id) as hits,
      ${facetCounts(sql, documents, plan)} as facets`;
  return toResult(row);
}

export function searchPostDocuments(sql: Db, plan: EmbeddedSearchPlan) {
  return searchDocuments<PostHit>(sql, POST_DOCUMENTS, plan);
}

export function searchPersonDocuments(sql: Db, plan: EmbeddedSearchPlan) {
  return searchDocuments<PersonHit>(sql, PERSON_DOCUMENTS, plan);
}

/**
 * Only the page of hits, when the total and facets are known: without the materialized set of every match, an
 * unranked listing (no query words) walks the newest-first index and stops after the page.
 */
async function hitsOnly<H>(sql: Db, plan: EmbeddedSearchPlan, table: Fragment, filter: Fragment, hitColumns: Fragment) {
  const { where, score, related } = matchCondition(sql, plan);
  const ranked = plan.tokens.length > 0 && plan.sort !== "newest";
  const orderBy = ranked ? sql`p.score desc, p.created_at desc, p.id desc` : sql`p.created_at desc, p.id desc`;
  const [row] = await sql<[{ hits: H[] }]>`
    select coalesce(json_agg(json_build_object(${hitColumns}, 'related_skill_id', p.related_skill_id) order by ${orderBy}), '[]'::json) as hits
    from (
      select p.id, p.score, p.created_at, p.related_skill_id
      from (select d.id, d.created_at, ${ranked ? score : sql`0::real`} as score, ${related} as related_skill_id
            from ${table} d ${unpackedRankText(sql)} where ${filter} and ${where}) p
      order by ${orderBy}
      limit ${plan.limit} offset ${plan.offset}
    ) p
    join ${table} d on d.id = p.id`;
  return { total: 0, hits: row.hits, facets: {} as Record<string, FacetCount[]> };
}

function toResult<H>(row: RawSearchRow<H>) {
  const facets: Record<string, FacetCount[]> = {};
  for (const [facet, value, count] of row.facets ?? []) (facets[facet] ??= []).push({ value, count });
  for (const counts of Object.values(facets)) counts.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return { total: row.total, hits: row.hits, facets };
}
