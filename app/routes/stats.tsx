import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useT } from "~/components/i18n";
import { translate, type MessageKey } from "~/lib/i18n";
import { boroughOfDistrict, CATEGORIES, ROLES } from "~/lib/reference";
import { requestLocale } from "~/modules/accounts/session.server";
import { horizontalBarChart } from "~/modules/stats/chart";
import { cityPicture, pictureFilterSchema, type SkillCount } from "~/modules/stats/stats.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.metaTitle }, { name: "description", content: data.metaDescription }] : [];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await requestLocale(request);
  const filter = pictureFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const picture = await cityPicture(filter, locale);
  return {
    filter,
    picture,
    metaTitle: translate(locale, "stats.metaTitle"),
    metaDescription: translate(locale, "stats.metaDescription"),
  };
}

function SkillTable({
  caption,
  rows,
  showGap,
  hideCaption,
}: {
  caption: string;
  rows: SkillCount[];
  showGap?: boolean;
  hideCaption?: boolean;
}) {
  const t = useT();
  return (
    <table className="table">
      {/* Where a heading of the same words stands right above, the caption is for screen readers only. */}
      <caption className={hideCaption ? "visually-hidden" : undefined}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("stats.colSkill")}</th>
          <th scope="col">{t("stats.colNeeds")}</th>
          <th scope="col">{t("stats.colOffers")}</th>
          {showGap ? <th scope="col">{t("stats.colGap")}</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <th scope="row">
              <Link to={`/skills/${row.slug}`}>{row.label}</Link>
            </th>
            <td>{row.needs}</td>
            <td>{row.offers}</td>
            {showGap ? <td>{row.gap}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function GapChart({ rows }: { rows: SkillCount[] }) {
  const t = useT();
  const [largest] = rows;
  if (!largest) return null;
  const svg = horizontalBarChart({
    id: "gap-chart",
    title: t("stats.chartTitle"),
    description: t("stats.chartDesc", { skill: largest.label, needs: largest.needs, offers: largest.offers }),
    valueAxisLabel: t("stats.chartAxis"),
    series: [
      { label: t("stats.seriesNeeds"), color: "var(--amber)" },
      { label: t("stats.seriesOffers"), color: "var(--green)" },
    ],
    groups: rows.map((row) => ({ label: row.label, values: [row.needs, row.offers] })),
  });
  // The markup is built from escaped text only (see chart.ts and its tests).
  return <figure className="chart" dangerouslySetInnerHTML={{ __html: svg }} />;
}

export default function StatsPage() {
  const { filter, picture } = useLoaderData<typeof loader>();
  const t = useT();
  const filtered = Boolean(filter.category || filter.role);
  const hasPosts = picture.totals.needs + picture.totals.offers > 0;
  return (
    <div className="stats-page">
      <header className="page-header">
        <h1>{t("stats.title")}</h1>
        <p className="lead">{t("stats.lead")}</p>
      </header>

      <form method="get" className="inline-form" aria-label={t("stats.filters")}>
        <div className="field">
          <label htmlFor="stats-category">{t("stats.filterCategory")}</label>
          <select id="stats-category" name="category" defaultValue={filter.category ?? ""}>
            <option value="">{t("stats.filterAll")}</option>
            {CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {t(`category.${category}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="stats-role">{t("stats.filterRole")}</label>
          <select id="stats-role" name="role" defaultValue={filter.role ?? ""}>
            <option value="">{t("stats.filterAll")}</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`role.${role}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <p className="button-row">
          <button type="submit" className="button">
            {t("stats.filterApply")}
          </button>
          {filtered ? (
            <Link to="/stats" className="button secondary">
              {t("stats.filterReset")}
            </Link>
          ) : null}
        </p>
      </form>

      <p>{t("stats.totals", { needs: picture.totals.needs, offers: picture.totals.offers, skills: picture.skillsWithPosts })}</p>

      <section aria-labelledby="stats-gap">
        <h2 id="stats-gap">{t("stats.gapTitle")}</h2>
        <p className="meta">{t("stats.gapLead")}</p>
        {picture.largestGap.length ? (
          <>
            <GapChart rows={picture.largestGap} />
            <SkillTable caption={t("stats.gapCaption")} rows={picture.largestGap} showGap />
          </>
        ) : (
          <p className="empty">{hasPosts ? t("stats.noGap") : t("stats.empty")}</p>
        )}
      </section>

      {hasPosts ? (
        <div className="columns">
          <section aria-labelledby="stats-needed">
            <h2 id="stats-needed">{t("stats.neededCaption")}</h2>
            <SkillTable caption={t("stats.neededCaption")} rows={picture.mostNeeded} hideCaption />
          </section>
          <section aria-labelledby="stats-offered">
            <h2 id="stats-offered">{t("stats.offeredCaption")}</h2>
            <SkillTable caption={t("stats.offeredCaption")} rows={picture.mostOffered} hideCaption />
          </section>
        </div>
      ) : null}

      <section aria-labelledby="stats-districts">
        <h2 id="stats-districts">{t("stats.districtsTitle")}</h2>
        {picture.districts.length ? (
          <table className="table">
            <caption>{t("stats.districtsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("stats.colDistrict")}</th>
                <th scope="col">{t("stats.colBorough")}</th>
                <th scope="col">{t("stats.colOpenNeeds")}</th>
              </tr>
            </thead>
            <tbody>
              {picture.districts.map((row) => (
                <tr key={row.district}>
                  <th scope="row">{row.district}</th>
                  <td>{boroughOfDistrict(row.district) ?? ""}</td>
                  <td>{row.needs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="empty">{t("stats.noDistricts")}</p>
        )}
      </section>

      <section aria-labelledby="stats-activity">
        <h2 id="stats-activity">{t("stats.activityTitle", { days: picture.activity.days })}</h2>
        <dl className="facts">
          <dt>{t("stats.activityMatches")}</dt>
          <dd>{picture.activity.matchesMade}</dd>
          <dt>{t("stats.activityContacts")}</dt>
          <dd>{picture.activity.contactsAccepted}</dd>
        </dl>
        <p className="meta">{t("stats.activityNote")}</p>
      </section>

      <section aria-labelledby="stats-feeds">
        <h2 id="stats-feeds">{t("stats.feedsTitle")}</h2>
        <p>{t("stats.feedsLead")}</p>
        <ul>
          <li>
            <a href="/feeds/posts.json" type="application/json">
              {t("stats.feedsJson")}
            </a>{" "}
            <code>/feeds/posts.json?skill=…&amp;kind=need&amp;district=Plagwitz&amp;page=1&amp;per_page=20</code>
          </li>
          <li>
            {t("stats.feedsAtom")} <code>/feeds/skills/&lt;slug&gt;.atom</code>
          </li>
        </ul>
      </section>
    </div>
  );
}
