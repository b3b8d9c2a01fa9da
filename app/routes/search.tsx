import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigate, useSubmit } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import { useT } from "~/components/i18n";
import { Highlighted } from "~/components/highlighted";
import { PostCard, SkillTags } from "~/components/post-card";
import { withCovers, withPortraits } from "~/modules/images/images.server";
import type { ImageView } from "~/modules/images/types";
import { PersonPicture } from "~/components/person-picture";
import { useSuggestions } from "~/components/suggestions";
import { translator, type MessageKey } from "~/lib/i18n";
import { currentUser, requestLocale } from "~/modules/accounts/session.server";
import { blockedEitherWay } from "~/modules/contact/contact.server";
import { parseSearchParams, searchHref, type SearchParams } from "~/modules/search/query";
import { searchPage, type FacetGroupView, type PersonResultView } from "~/modules/search/search.server";
import type { SearchSuggestion } from "~/modules/search/search.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const params = parseSearchParams(new URL(request.url).searchParams);
  const locale = await requestLocale(request);
  // People who blocked the viewer, or whom the viewer blocked, never appear (nor their posts).
  const viewer = await currentUser(request);
  const found = await searchPage(params, locale, { excludeUserIds: viewer ? await blockedEitherWay(viewer.id) : [] });
  const view = { ...found, posts: await withCovers(found.posts), people: await withPortraits(found.people) };
  const t = translator(locale);
  return {
    params,
    view,
    title: params.query ? t("search.metaTitleQuery", { query: params.query }) : t("search.metaTitle"),
    description: t("search.metaDescription"),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "NextLeipzig" },
  { name: "description", content: data?.description ?? "" },
  // Result pages change all the time; the page itself is worth finding, not its query variants.
  { name: "robots", content: "noindex, follow" },
];

function PersonResult({ person }: { person: PersonResultView & { portrait: ImageView | null } }) {
  const t = useT();
  return (
    <article className="card with-thumb">
      <span className="match-thumb">
        <PersonPicture portrait={person.portrait} name={person.name.map((segment) => segment.text).join("")} seed={person.id} size={64} />
      </span>
      <p className="eyebrow">
        <span className="badge">{t(`role.${person.role}` as MessageKey)}</span>
      </p>
      <h3>
        <Link to={`/people/${person.id}`}>
          <Highlighted text={person.name} />
        </Link>
      </h3>
      {person.snippet.length ? (
        <p>
          <Highlighted text={person.snippet} />
        </p>
      ) : null}
      {person.relatedTo ? <p className="meta related">{t("search.relatedTo", { skill: person.relatedTo })}</p> : null}
      {person.offered.length ? (
        <>
          <p className="meta">{t("profile.offers")}</p>
          <SkillTags skills={person.offered} />
        </>
      ) : null}
      {person.sought.length ? (
        <>
          <p className="meta">{t("profile.seeks")}</p>
          <SkillTags skills={person.sought} />
        </>
      ) : null}
      <p className="meta">
        {person.district === "elsewhere" ? t("common.elsewhere") : person.district}
        {person.remote_ok ? <> · {t("search.remote")}</> : null}
      </p>
    </article>
  );
}

/** A checkbox that shows the click at once and follows the URL's state after navigation (back button, links). */
function FacetCheckbox(props: { name: string; value: string; selected: boolean; children: React.ReactNode; count: number }) {
  const [checked, setChecked] = useState(props.selected);
  // Follow the URL when it changes (React's pattern for state derived from a prop: compare during render).
  const [followed, setFollowed] = useState(props.selected);
  if (followed !== props.selected) {
    setFollowed(props.selected);
    setChecked(props.selected);
  }
  return (
    <label>
      <input
        type="checkbox"
        name={props.name}
        value={props.value}
        checked={checked}
        onChange={(event) => setChecked(event.target.checked)}
      />
      {props.children}
      <span className="count">{props.count}</span>
    </label>
  );
}

function facetOptionLabel(
  t: ReturnType<typeof useT>,
  group: FacetGroupView,
  option: FacetGroupView["options"][number],
  tab: SearchParams["tab"],
) {
  switch (group.name) {
    case "kind":
      return t(`kind.${option.value}` as MessageKey);
    case "category":
      return t(`category.${option.value}` as MessageKey);
    case "role":
      return t(`role.${option.value}` as MessageKey);
    case "mode":
      return t(`exchange.${option.value}` as MessageKey);
    case "remote":
      return tab === "posts" ? t("search.remoteOnlyPosts") : t("search.remoteOnlyPeople");
    case "district":
      return option.value === "elsewhere" ? t("common.elsewhere") : option.value;
    default:
      return option.label ?? option.value;
  }
}

function Facets({ facets, tab }: { facets: FacetGroupView[]; tab: SearchParams["tab"] }) {
  const t = useT();
  return (
    <div className="facets">
      <h2 className="visually-hidden">{t("search.filters")}</h2>
      {facets.map((group) => (
        <fieldset key={group.name}>
          <legend>{t(`search.facet.${group.name}` as MessageKey)}</legend>
          {group.options.length === 0 ? <p className="hint">{t("search.noFacetValues")}</p> : null}
          {group.options.map((option) => (
            <FacetCheckbox
              key={option.value}
              name={group.name === "remote" ? "remote" : group.name}
              value={option.value}
              selected={option.selected}
              count={option.count}
            >
              {facetOptionLabel(t, group, option, tab)}
            </FacetCheckbox>
          ))}
        </fieldset>
      ))}
      <button type="submit" className="button secondary small">
        {t("search.applyFilters")}
      </button>
    </div>
  );
}

/** The query box; with JavaScript it suggests skills and posts while typing. */
function QueryBox({ defaultValue }: { defaultValue: string }) {
  const t = useT();
  const navigate = useNavigate();
  const id = useId();
  const listId = `${id}-suggestions`;
  const inputRef = useRef<HTMLInputElement>(null);
  const { suggestions, active, load, onKeyDown, close } = useSuggestions<SearchSuggestion>((suggestion) => navigate(suggestion.href));

  useEffect(() => {
    if (inputRef.current) inputRef.current.value = defaultValue;
    close();
    // only when the query in the URL changes (after a search), not on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [defaultValue]);

  function onInput(event: React.FormEvent<HTMLInputElement>) {
    const value = event.currentTarget.value.trim();
    void load(value.length < 2 ? null : `/search/suggest?q=${encodeURIComponent(value)}`);
  }

  return (
    <div className="skill-picker">
      <label htmlFor={id} className="visually-hidden">
        {t("search.queryLabel")}
      </label>
      <input
        ref={inputRef}
        id={id}
        name="q"
        type="search"
        defaultValue={defaultValue}
        maxLength={200}
        placeholder={t("search.placeholder")}
        autoComplete="off"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={suggestions.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        onInput={onInput}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(close, 150)}
      />
      <ul id={listId} role="listbox" aria-label={t("search.suggestions")} className="suggestions" hidden={suggestions.length === 0}>
        {suggestions.map((suggestion, index) => (
          <li
            key={`${suggestion.type}-${suggestion.href}`}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? "active" : undefined}
            onMouseDown={(event) => {
              event.preventDefault();
              close();
              navigate(suggestion.href);
            }}
          >
            {suggestion.label} <span className="muted">· {t(`search.suggestion.${suggestion.type}` as MessageKey)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function EmptyState({ params }: { params: SearchParams }) {
  const t = useT();
  const otherTab = params.tab === "posts" ? "people" : "posts";
  const hasFilters = Object.values(params.filters).some((value) => (Array.isArray(value) ? value.length > 0 : Boolean(value)));
  return (
    <div className="empty-state">
      <h2>{params.query ? t("search.emptyTitle", { query: params.query }) : t("search.emptyTitleNoQuery")}</h2>
      <ul>
        <li>{t("search.emptyHintSpelling")}</li>
        <li>{t("search.emptyHintLanguage")}</li>
        {hasFilters ? (
          <li>
            <Link to={searchHref({ tab: params.tab, query: params.query })}>{t("search.emptyWithoutFilters")}</Link>
          </li>
        ) : null}
        {params.query ? (
          <li>
            <Link to={searchHref({ tab: otherTab, query: params.query })}>
              {t("search.emptyOtherTab", { tab: t(`search.tab.${otherTab}`) })}
            </Link>
          </li>
        ) : null}
        <li>
          <Link to="/posts/new">{t("search.emptyNewPost")}</Link>
        </li>
      </ul>
    </div>
  );
}

export default function SearchPage() {
  const { params, view } = useLoaderData<typeof loader>();
  const t = useT();
  const submit = useSubmit();
  const tabs = ["posts", "people"] as const;
  // Filters shared by both tabs survive a tab switch.
  const sharedFilters = {
    role: params.filters.role,
    borough: params.filters.borough,
    district: params.filters.district,
    skill: params.filters.skill,
    remote: params.filters.remote,
  };
  const hits = params.tab === "posts" ? view.posts.length : view.people.length;
  const summary = params.query
    ? t("search.resultCountFor", { count: view.total, query: params.query })
    : `${params.tab === "posts" ? t("search.newestPosts") : t("search.newestPeople")} · ${t("search.resultCount", { count: view.total })}`;

  return (
    <div className="search-page">
      <header className="page-header">
        <h1>{t("search.title")}</h1>
      </header>
      <Form
        method="get"
        action="/search"
        role="search"
        preventScrollReset
        onChange={(event) => {
          // Filters and sort apply at once with JavaScript; typing waits for Enter or the button.
          const target = event.target as HTMLElement;
          if (target instanceof HTMLInputElement && target.type === "checkbox") submit(event.currentTarget, { preventScrollReset: true });
          if (target instanceof HTMLSelectElement) submit(event.currentTarget, { preventScrollReset: true });
        }}
      >
        {params.tab === "people" ? <input type="hidden" name="tab" value="people" /> : null}
        <div className="search-box">
          <QueryBox defaultValue={params.query} />
          <button type="submit" className="button">
            {t("search.submit")}
          </button>
        </div>

        <nav className="tabs" aria-label={t("search.tabs")}>
          {tabs.map((tab) => (
            <Link
              key={tab}
              to={searchHref({ tab, query: params.query, filters: sharedFilters, sort: params.sort })}
              aria-current={tab === params.tab ? "page" : undefined}
            >
              {t(`search.tab.${tab}`)}
            </Link>
          ))}
        </nav>

        {view.degraded ? (
          <p className="notice error" role="status">
            {t("search.degraded")}
          </p>
        ) : null}

        <div className="search-layout">
          <aside aria-label={t("search.filters")}>
            <Facets facets={view.facets} tab={params.tab} />
            {Object.values(params.filters).some((value) => (Array.isArray(value) ? value.length > 0 : Boolean(value))) ? (
              <p>
                <Link to={searchHref({ tab: params.tab, query: params.query, sort: params.sort })}>{t("search.clearFilters")}</Link>
              </p>
            ) : null}
          </aside>

          <section aria-labelledby="search-results-heading">
            <div className="results-header">
              <h2 id="search-results-heading" aria-live="polite">
                {summary}
              </h2>
              <div className="field">
                <label htmlFor="search-sort">{t("search.sort")}</label>
                <select id="search-sort" name="sort" defaultValue={params.sort} key={params.sort}>
                  <option value="relevance">{t("search.sort.relevance")}</option>
                  <option value="newest">{t("search.sort.newest")}</option>
                </select>
              </div>
            </div>

            {view.correctedQuery ? (
              <p className="notice" role="status">
                {t("search.didYouMean")}{" "}
                <Link to={searchHref({ ...params, query: view.correctedQuery, page: 1 })}>
                  <strong>{view.correctedQuery}</strong>
                </Link>
                ? <span className="muted">{t("search.didYouMeanNote")}</span>
              </p>
            ) : null}
            {hits === 0 ? <EmptyState params={params} /> : null}
            <div className="card-list">
              {view.posts.map((post) => (
                <PostCard key={post.id} post={post} />
              ))}
              {view.people.map((person) => (
                <PersonResult key={person.id} person={person} />
              ))}
            </div>

            {view.pages > 1 ? (
              <nav className="pagination" aria-label={t("search.pagination")}>
                {params.page > 1 ? (
                  <Link to={searchHref({ ...params, page: params.page - 1 })} rel="prev">
                    {t("common.previous")}
                  </Link>
                ) : null}
                <span>{t("common.page", { page: params.page, pages: view.pages })}</span>
                {params.page < view.pages ? (
                  <Link to={searchHref({ ...params, page: params.page + 1 })} rel="next">
                    {t("common.next")}
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </section>
        </div>
      </Form>
    </div>
  );
}
