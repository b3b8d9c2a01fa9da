import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Honeypot, Notice } from "~/components/form";
import { useRootData, useT } from "~/components/i18n";
import { PostCard } from "~/components/post-card";
import { requestLocale } from "~/modules/accounts/session.server";
import { translator } from "~/lib/i18n";
import { previewImage, rootMetaData, socialMeta } from "~/lib/social-meta";
import { newestPosts } from "~/modules/posts/posts.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const { locale, appUrl } = rootMetaData(matches);
  const t = translator(locale);
  // the newest offer with a photo gives the preview its picture
  const cover = data?.offers.find((post) => post.cover)?.cover ?? data?.needs.find((post) => post.cover)?.cover;
  return socialMeta({
    title: `NextLeipzig – ${t("home.title")}`,
    description: t("home.metaDescription"),
    image: previewImage(cover),
    path: "/",
    locale,
    appUrl,
  });
};

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await requestLocale(request);
  const [offers, needs] = await Promise.all([newestPosts("offer", locale, 6), newestPosts("need", locale, 6)]);
  return { offers, needs };
}

export default function Home() {
  const { offers, needs } = useLoaderData<typeof loader>();
  const { user } = useRootData();
  const [params] = useSearchParams();
  const t = useT();
  return (
    <>
      {params.get("notice") === "account-deleted" ? <Notice tone="success">{t("account.deleted")}</Notice> : null}
      <section className="hero">
        <h1>{t("app.tagline")}</h1>
        <p className="lead">{t("home.lead")}</p>
        <form method="get" action="/search" className="hero-search" role="search">
          <label htmlFor="hero-q" className="visually-hidden">
            {t("home.ctaSearch")}
          </label>
          <input id="hero-q" name="q" type="search" placeholder="Holzbau, 3D-Druck, grant writing …" />
          <button type="submit" className="button">
            {t("nav.search")}
          </button>
        </form>
        {user ? (
          <p className="cta-row">
            <Link to="/posts/new" className="button secondary">
              {t("home.ctaPost")}
            </Link>
          </p>
        ) : (
          // Joining starts here: the address goes to the sign-in page's action, which mails the link (a plain form,
          // so it works the same without JavaScript; errors show on /login).
          <form method="post" action="/login" className="hero-join" noValidate>
            <label htmlFor="hero-email">{t("home.joinLabel")}</label>
            <div className="hero-search">
              <input
                id="hero-email"
                name="email"
                type="email"
                inputMode="email"
                autoComplete="email"
                maxLength={254}
                placeholder={t("home.joinPlaceholder")}
              />
              <button type="submit" className="button secondary">
                {t("login.submit")}
              </button>
            </div>
            <Honeypot />
          </form>
        )}
      </section>
      <div className="columns">
        <section aria-labelledby="newest-offers">
          <h2 id="newest-offers">{t("home.newestOffers")}</h2>
          {offers.length === 0 ? <p className="empty">{t("home.emptyOffers")}</p> : null}
          <div className="card-list">
            {offers.map((post) => (
              <PostCard key={post.id} post={post} />
            ))}
          </div>
        </section>
        <section aria-labelledby="newest-needs">
          <h2 id="newest-needs">{t("home.newestNeeds")}</h2>
          {needs.length === 0 ? <p className="empty">{t("home.emptyNeeds")}</p> : null}
          <div className="card-list">
            {needs.map((post) => (
              <PostCard key={post.id} post={post} />
            ))}
          </div>
        </section>
      </div>
      <section className="how" aria-labelledby="how">
        <h2 id="how">{t("home.howTitle")}</h2>
        <ol>
          <li>{t("home.how1")}</li>
          <li>{t("home.how2")}</li>
          <li>{t("home.how3")}</li>
        </ol>
      </section>
    </>
  );
}
