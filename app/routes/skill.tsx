import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "~/components/i18n";
import { PostCard } from "~/components/post-card";
import { notFound } from "~/lib/http.server";
import { translator, type MessageKey } from "~/lib/i18n";
import { previewImage, rootMetaData, socialMeta } from "~/lib/social-meta";
import { requestLocale } from "~/modules/accounts/session.server";
import { withCovers } from "~/modules/images/images.server";
import { skillPageActivity } from "~/modules/skills/skill-page.server";
import { findSkillPage, skillLabel } from "~/modules/skills/skills.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [];
  const { locale, appUrl } = rootMetaData(matches);
  const t = translator(locale);
  const description =
    (locale === "en" ? data.skill.description_en : data.skill.description_de) ||
    t("stats.skillCounts", { needs: data.activity.needsTotal, offers: data.activity.offersTotal, people: data.activity.peopleTotal });
  const cover = [...data.activity.offers, ...data.activity.needs].find((post) => post.cover)?.cover;
  return [
    ...socialMeta({
      title: `${data.label} | NextLeipzig`,
      description,
      image: previewImage(cover),
      path: `/skills/${data.skill.slug}`,
      locale,
      appUrl,
    }),
    { tagName: "link", rel: "alternate", type: "application/atom+xml", title: data.label, href: data.atomUrl },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = await findSkillPage(params.slug ?? "");
  if (!page) notFound();
  if (page.skill.merged_into_slug) throw redirect(`/skills/${page.skill.merged_into_slug}`, 301);
  const locale = await requestLocale(request);
  const found = await skillPageActivity(page.skill.id, locale);
  const [needs, offers] = await Promise.all([withCovers(found.needs), withCovers(found.offers)]);
  const activity = { ...found, needs, offers };
  return {
    activity,
    atomUrl: `/feeds/skills/${page.skill.slug}.atom${locale === "en" ? "?lang=en" : ""}`,
    skill: page.skill,
    label: skillLabel(page.skill, locale),
    labels: page.labels,
    groups: page.groups.map((group) => ({ uri: group.uri, label: locale === "en" ? group.label_en : group.label_de })),
    related: page.related.map((skill) => ({ slug: skill.slug, label: skillLabel(skill, locale) })),
  };
}

export default function SkillPage() {
  const { skill, label, labels, groups, related, activity, atomUrl } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const description = locale === "en" ? skill.description_en : skill.description_de;
  return (
    <div className="skill-page">
      <header className="page-header">
        <p className="eyebrow">{groups.map((group) => group.label).join(" · ")}</p>
        <h1>{label}</h1>
        <p className="meta" lang="de">
          DE: {skill.label_de}
        </p>
        <p className="meta" lang="en">
          EN: {skill.label_en}
        </p>
      </header>
      {description ? <p className="lead">{description}</p> : null}
      <p className="meta">
        {t("stats.skillCounts", { needs: activity.needsTotal, offers: activity.offersTotal, people: activity.peopleTotal })}
      </p>
      <p>
        <Link className="button secondary" to={`/search?skill=${skill.id}`}>
          {t("nav.search")}: {label}
        </Link>
      </p>
      <details>
        <summary>{labels.length} Labels (DE/EN)</summary>
        <ul className="inline-list">
          {labels.map((entry) => (
            <li key={`${entry.lang}-${entry.label}`} lang={entry.lang}>
              {entry.label}
            </li>
          ))}
        </ul>
      </details>
      <div className="columns">
        <section aria-labelledby="skill-needs">
          <h2 id="skill-needs">{t("stats.skillOpenNeeds")}</h2>
          {activity.needs.length === 0 ? <p className="empty">{t("stats.skillNoNeeds")}</p> : null}
          <div className="card-list">
            {activity.needs.map((post) => (
              <PostCard key={post.id} post={post} />
            ))}
          </div>
        </section>
        <section aria-labelledby="skill-offers">
          <h2 id="skill-offers">{t("stats.skillOpenOffers")}</h2>
          {activity.offers.length === 0 ? <p className="empty">{t("stats.skillNoOffers")}</p> : null}
          <div className="card-list">
            {activity.offers.map((post) => (
              <PostCard key={post.id} post={post} />
            ))}
          </div>
        </section>
      </div>
      <section aria-labelledby="skill-people">
        <h2 id="skill-people">{t("stats.skillPeople")}</h2>
        {activity.people.length === 0 ? (
          <p className="empty">{t("stats.skillNoPeople")}</p>
        ) : (
          <ul className="link-list">
            {activity.people.map((person) => (
              <li key={person.id}>
                <Link to={`/people/${person.id}`}>{person.displayName}</Link>{" "}
                <span className="meta">
                  {t(`role.${person.role}` as MessageKey)} · {person.district === "elsewhere" ? t("common.elsewhere") : person.district}
                </span>
                {person.isDemo ? (
                  <>
                    {" "}
                    <span className="badge demo">{t("common.demo")}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {related.length ? (
        <section>
          <h2>{t("skills.related")}</h2>
          <ul className="tags">
            {related.map((entry) => (
              <li key={entry.slug}>
                <Link className="tag" to={`/skills/${entry.slug}`}>
                  {entry.label}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <a href={atomUrl} type="application/atom+xml">
          {t("stats.skillAtom")}
        </a>
      </p>
      {skill.uri?.startsWith("http://data.europa.eu/esco/") ? (
        <p className="meta" lang="en">
          {t("footer.esco")} <a href={skill.uri}>{skill.uri}</a>
        </p>
      ) : null}
    </div>
  );
}
