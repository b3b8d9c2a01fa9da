import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Notice } from "~/components/form";
import { useT } from "~/components/i18n";
import { redirectWithNotice } from "~/lib/http.server";
import { translate, type MessageKey } from "~/lib/i18n";
import { requestLocale, requireUser } from "~/lib/session.server";
import { markMatchesSeen, matchesForUser, type MatchGroup, type MatchListItem } from "~/modules/matching/matching.server";

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
  return { locale, ...(await matchesForUser(user.id, locale)) };
}

const actionSchema = z.object({ intent: z.literal("mark-seen") });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return redirectWithNotice("/matches", "invalid");
  await markMatchesSeen(user.id);
  return redirectWithNotice("/matches", "seen");
}

const GROUPS: MatchGroup[] = ["needs_for_you", "offers_for_your_needs", "people"];

function MatchItem({ match }: { match: MatchListItem }) {
  const t = useT();
  const otherKind = match.other.kind === "person" ? t("matching.person") : t(`kind.${match.other.side}` as MessageKey);
  return (
    <article className={`card post-card kind-${match.other.side}`}>
      <p className="eyebrow">
        <span className={`badge kind-${match.other.side}`}>{otherKind}</span>
        {match.mutual ? (
          <span className="badge" title={t("matching.mutualHint")}>
            {t("matching.mutual")}
          </span>
        ) : null}
        {match.isNew ? <span className="badge new">{t("matching.new")}</span> : null}
      </p>
      <h3>
        <Link to={match.other.path}>{match.other.title}</Link>
      </h3>
      <p className="meta">{match.mine.postId ? t("matching.forPost", { title: match.mine.title ?? "" }) : t("matching.forProfile")}</p>
      {match.reasonText ? (
        <p className="reason">
          <span className="visually-hidden">{t("matching.reasonLabel")}: </span>
          {match.reasonText}
        </p>
      ) : null}
    </article>
  );
}

export default function MatchesPage() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = useT();
  const total = GROUPS.reduce((sum, group) => sum + data.groups[group].length, 0);
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
      {total === 0 ? <p className="empty">{t("matching.empty")}</p> : null}
      {data.hasProfile && total > 0 ? (
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
      {total > 0
        ? GROUPS.map((group) => (
            <section key={group} aria-labelledby={`group-${group}`}>
              <h2 id={`group-${group}`}>{t(`matching.group.${group}` as MessageKey)}</h2>
              {data.groups[group].length === 0 ? <p className="empty">{t("matching.groupEmpty")}</p> : null}
              <div className="card-list">
                {data.groups[group].map((match) => (
                  <MatchItem key={`${match.mine.postId ?? "profile"}-${match.other.kind}-${match.other.id}`} match={match} />
                ))}
              </div>
            </section>
          ))
        : null}
    </div>
  );
}
