import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Notice } from "~/components/form";
import { useT } from "~/components/i18n";
import { MatchCard } from "~/components/match-card";
import { redirectWithNotice } from "~/lib/http.server";
import { translate, type MessageKey } from "~/lib/i18n";
import { ROLES } from "~/lib/reference";
import { requestLocale, requireUser } from "~/modules/accounts/session.server";
import { markMatchesSeen, matchesForUser, type MatchSection } from "~/modules/matching/matching.server";
import { MATCH_FILTER_KINDS, matchesQuerySchema } from "~/modules/matching/schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? translate(data.locale, "matching.title") : "Matches"} · NextLeipzig` },
];

/*
 * "New since my last visit" without GET changing state: a match is new when it was first seen after the
 * person last pressed "Alle als gesehen markieren" (a POST that sets profiles.matches_seen_at). Recording
 * every page view in the loader would be a state change on GET (prefetching or a reload would clear the
 * marks before they were read).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await requestLocale(request);
  const query = matchesQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const filters = { kind: query.kind, role: query.role, district: query.district || undefined };
  const result = await matchesForUser(user.id, locale, { filters, section: query.section, page: query.page });
  return { locale, filters, ...result };
}

const actionSchema = z.object({ intent: z.literal("mark-seen") });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return redirectWithNotice("/matches", "invalid");
  await markMatchesSeen(user.id);
  return redirectWithNotice("/matches", "seen");
}

function sectionTitle(section: Pick<MatchSection, "mine">, t: ReturnType<typeof useT>) {
  if (section.mine.postId) return t("matching.section.post", { title: section.mine.title ?? "" });
  return t(section.mine.side === "need" ? "matching.section.profileNeed" : "matching.section.profileOffer");
}

export default function MatchesPage() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = useT();
  const filtered = Boolean(data.filters.kind || data.filters.role || data.filters.district);
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    next.delete("notice");
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) next.delete(name);
      else next.set(name, value);
    }
    const text = next.toString();
    return text ? `/matches?${text}` : "/matches";
  };
  return (
    <div className="matches-page">
      <header className="page-header">
        <h1>{t("matching.title")}</h1>
        <p className="lead">{t("matching.lead")}</p>
      </header>
      {params.get("notice") === "seen" ? <Notice tone="success">{t("matching.markedSeen")}</Notice> : null}
      {!data.hasProfile ? (
        <Notice tone="info">
          {t("matching.noProfile")} <Link to="/profile">{t("nav.profile")}</Link>
        </Notice>
      ) : null}
      {data.total === 0 && !filtered ? <p className="empty">{t("matching.empty")}</p> : null}
      {data.hasProfile && data.total > 0 ? (
        <div className="button-row">
          <p>{data.newCount > 0 ? t("matching.newCount", { count: data.newCount }) : t("matching.noneNew")}</p>
          {data.newCount > 0 ? (
            <Form method="post">
              <button className="button secondary small" name="intent" value="mark-seen">
                {t("matching.markSeen")}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      {data.total > 0 || filtered ? (
        <Form method="get" className="filters" aria-label={t("matching.filter.title")}>
          {data.section ? <input type="hidden" name="section" value={data.section.key} /> : null}
          <label>
            {t("matching.filter.kind")}{" "}
            <select name="kind" defaultValue={data.filters.kind ?? ""}>
              <option value="">{t("matching.filter.kind.all")}</option>
              {MATCH_FILTER_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`matching.filter.kind.${kind}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>{" "}
          <label>
            {t("matching.filter.role")}{" "}
            <select name="role" defaultValue={data.filters.role ?? ""}>
              <option value="">{t("matching.filter.role.all")}</option>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>{" "}
          <label>
            {t("matching.filter.district")}{" "}
            <select name="district" defaultValue={data.filters.district ?? ""}>
              <option value="">{t("matching.filter.district.all")}</option>
              {data.districts.map((district) => (
                <option key={district} value={district}>
                  {district === "elsewhere" ? t("common.elsewhere") : district}
                </option>
              ))}
            </select>
          </label>{" "}
          <button className="button secondary small">{t("matching.filter.apply")}</button>
        </Form>
      ) : null}
      {filtered && data.total === 0 ? <p className="empty">{t("matching.filter.none")}</p> : null}
      {data.section ? (
        <p>
          <Link to={withParams({ section: null, page: null })}>{t("matching.back")}</Link>
        </p>
      ) : null}
      {data.sections.map((section) => (
        <section key={section.key} aria-labelledby={`section-${section.key}`}>
          <h2 id={`section-${section.key}`}>{sectionTitle(section, t)}</h2>
          <div className="card-list">
            {section.items.map((match) => (
              <MatchCard key={`${match.other.kind}-${match.other.id}`} match={match} />
            ))}
          </div>
          {!data.section && section.total > section.items.length ? (
            <p>
              <Link to={withParams({ section: section.key, page: null })}>{t("matching.more", { count: section.total })}</Link>
            </p>
          ) : null}
        </section>
      ))}
      {data.section && data.section.pages > 1 ? (
        <nav className="pagination" aria-label={t("matching.page", { page: data.section.page, pages: data.section.pages })}>
          {data.section.page > 1 ? (
            <Link to={withParams({ page: String(data.section.page - 1) })}>{t("matching.page.previous")}</Link>
          ) : null}{" "}
          <span>{t("matching.page", { page: data.section.page, pages: data.section.pages })}</span>{" "}
          {data.section.page < data.section.pages ? (
            <Link to={withParams({ page: String(data.section.page + 1) })}>{t("matching.page.next")}</Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
