import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "~/components/i18n";
import { notFound } from "~/lib/http.server";
import { requestLocale } from "~/lib/session.server";
import { findSkillPage, skillLabel } from "~/modules/skills/skills.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = await findSkillPage(params.slug ?? "");
  if (!page) notFound();
  if (page.skill.merged_into_slug) throw redirect(`/skills/${page.skill.merged_into_slug}`, 301);
  const locale = await requestLocale(request);
  return {
    skill: page.skill,
    label: skillLabel(page.skill, locale),
    labels: page.labels,
    groups: page.groups.map((group) => ({ uri: group.uri, label: locale === "en" ? group.label_en : group.label_de })),
    related: page.related.map((skill) => ({ slug: skill.slug, label: skillLabel(skill, locale) })),
  };
}

export default function SkillPage() {
  const { skill, label, labels, groups, related } = useLoaderData<typeof loader>();
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
      <p>
        <Link className="button secondary" to={`/search?skill=${skill.id}`}>
          {t("nav.search")}: {label}
        </Link>
      </p>
      <details>
        <summary>
          {labels.length} Labels (DE/EN)
        </summary>
        <ul className="inline-list">
          {labels.map((entry) => (
            <li key={`${entry.lang}-${entry.label}`} lang={entry.lang}>
              {entry.label}
            </li>
          ))}
        </ul>
      </details>
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
      {skill.uri?.startsWith("http://data.europa.eu/esco/") ? (
        <p className="meta" lang="en">
          {t("footer.esco")} <a href={skill.uri}>{skill.uri}</a>
        </p>
      ) : null}
    </div>
  );
}
