import { db } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";
import { skillLabel, suggestSkills } from "~/modules/skills/skills.server";
import { runSearch } from "../engines/configured.server";
import { cleanQuery, queryTokens, type SearchParams } from "../query";
import { PERSON_FACETS, POST_FACETS, type FacetName, type PersonHit, type PostHit } from "../types";
import { highlight, snippet, type Segment } from "./highlight";
import * as queries from "./queries.server";

// ---------------------------------------------------------------------------------------------------------
// The search page and its suggestions.

export const RESULTS_PER_PAGE = 20;

export type SkillTagView = { id: string; slug: string; label: Segment[] };
/** relatedTo: found only through a skill related to the one the query names ("verwandt mit Zimmerei"). */
export type PostResultView = Omit<PostHit, "title" | "description" | "skills" | "related_skill_id"> & {
  title: Segment[];
  snippet: Segment[];
  skills: SkillTagView[];
  relatedTo: string | null;
};
export type PersonResultView = Omit<PersonHit, "display_name" | "bio" | "skills" | "related_skill_id"> & {
  relatedTo: string | null;
  name: Segment[];
  snippet: Segment[];
  offered: SkillTagView[];
  sought: SkillTagView[];
};
export type FacetOptionView = { value: string; label: string | null; count: number; selected: boolean };
export type FacetGroupView = { name: FacetName; options: FacetOptionView[] };

export type SearchPageView = {
  total: number;
  pages: number;
  posts: PostResultView[];
  people: PersonResultView[];
  facets: FacetGroupView[];
  degraded: boolean;
  engine: "embedded" | "meilisearch";
  /** "Meintest du: …?": the query with its typos corrected, when the engine corrected some. */
  correctedQuery: string | null;
};

export async function searchPage(
  params: SearchParams,
  locale: Locale,
  options: { excludeUserIds?: string[] } = {},
): Promise<SearchPageView> {
  const tokens = queryTokens(params.query);
  const result = await runSearch({
    index: params.tab,
    query: params.query,
    filters: params.filters,
    sort: params.sort,
    page: params.page,
    perPage: RESULTS_PER_PAGE,
    excludeUserIds: options.excludeUserIds,
    facets: true,
  });
  // Corrected words are marked too: they are why the corrected results matched.
  if (result.correctedQuery)
    tokens.push(...queryTokens(result.correctedQuery).filter((token) => !tokens.some((other) => other.key === token.key)));
  const relatedTo = result.relatedTo ?? {};
  const namedSkill = (hit: { related_skill_id?: string | null }) => (hit.related_skill_id ? relatedTo[hit.related_skill_id] : undefined);
  const skillIds = [
    ...new Set([...(result.facets.skill ?? []).map((entry) => entry.value), ...(params.filters.skill ?? []), ...Object.values(relatedTo)]),
  ];
  const skillNames = new Map((await queries.skillLabelsByIds(db(), skillIds)).map((skill) => [skill.id, skillLabel(skill, locale)]));
  const tag = (skill: { id: string; slug: string; label_de: string; label_en: string }): SkillTagView => ({
    id: skill.id,
    slug: skill.slug,
    label: highlight(skillLabel(skill, locale), tokens),
  });

  const names = params.tab === "posts" ? POST_FACETS : PERSON_FACETS;
  const facets = names.map((name): FacetGroupView => {
    const counts = result.facets[name] ?? [];
    if (name === "remote") {
      const count = counts.find((entry) => entry.value === "true")?.count ?? 0;
      return { name, options: [{ value: "1", label: null, count, selected: Boolean(params.filters.remote) }] };
    }
    const selected = new Set(params.filters[name] ?? []);
    const options: FacetOptionView[] = counts.map((entry) => ({
      value: entry.value,
      label: name === "skill" ? (skillNames.get(entry.value) ?? entry.value) : null,
      count: entry.count,
      selected: selected.has(entry.value),
    }));
    for (const value of selected) {
      if (!options.some((option) => option.value === value)) {
        options.push({ value, label: name === "skill" ? (skillNames.get(value) ?? value) : null, count: 0, selected: true });
      }
    }
    return { name, options };
  });

  const posts =
    params.tab === "posts"
      ? (result.hits as PostHit[]).map(({ title, description, skills, related_skill_id, ...rest }) => ({
          ...rest,
          relatedTo: skillNames.get(namedSkill({ related_skill_id }) ?? "") ?? null,
          title: highlight(title, tokens),
          snippet: snippet(description, tokens),
          skills: skills.map(tag),
        }))
      : [];
  const people =
    params.tab === "people"
      ? (result.hits as PersonHit[]).map(({ display_name, bio, skills, related_skill_id, ...rest }) => ({
          ...rest,
          relatedTo: skillNames.get(namedSkill({ related_skill_id }) ?? "") ?? null,
          name: highlight(display_name, tokens),
          snippet: snippet(bio, tokens),
          offered: skills.filter((skill) => skill.direction === "offer").map(tag),
          sought: skills.filter((skill) => skill.direction === "seek").map(tag),
        }))
      : [];
  return {
    total: result.total,
    pages: Math.max(1, Math.ceil(Math.min(result.total, 100 * RESULTS_PER_PAGE) / RESULTS_PER_PAGE)),
    posts,
    people,
    facets,
    degraded: result.degraded,
    engine: result.engine,
    correctedQuery: result.correctedQuery && result.correctedQuery !== params.query ? result.correctedQuery : null,
  };
}

export type SearchSuggestion = { type: "skill" | "post" | "person"; label: string; href: string };

/** As-you-type suggestions: matching skills (to filter by), then a few matching post titles. */
export async function searchSuggestions(
  rawQuery: string,
  locale: Locale,
  options: { excludeUserIds?: string[] } = {},
): Promise<SearchSuggestion[]> {
  const query = cleanQuery(rawQuery).slice(0, 80);
  if (query.length < 2) return [];
  const [skills, posts] = await Promise.all([
    suggestSkills(query, locale, 5),
    runSearch({
      index: "posts",
      query,
      filters: {},
      sort: "relevance",
      page: 1,
      perPage: 4,
      facets: false,
      excludeUserIds: options.excludeUserIds,
    }),
  ]);
  return [
    ...skills.map((skill): SearchSuggestion => ({ type: "skill", label: skill.label, href: `/search?skill=${skill.id}` })),
    ...(posts.hits as PostHit[]).map((post): SearchSuggestion => ({ type: "post", label: post.title, href: `/posts/${post.id}` })),
  ];
}
