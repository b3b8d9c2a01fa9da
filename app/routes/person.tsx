import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { previewImage, rootMetaData, socialMeta } from "~/lib/social-meta";
import { translator } from "~/lib/i18n";
import { PersonPicture } from "~/components/person-picture";
import { portraitOf } from "~/modules/images/images.server";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/form";
import { useLocale, useT } from "~/components/i18n";
import { LinkifiedText } from "~/components/linkified-text";
import { PostCard, SkillTags } from "~/components/post-card";
import { notFound } from "~/lib/http.server";
import { formatDate, type MessageKey } from "~/lib/i18n";
import { currentUser, requestLocale } from "~/modules/accounts/session.server";
import { hasBlocked } from "~/modules/contact/contact.server";
import { visiblePostsOfAuthor } from "~/modules/posts/posts.server";
import { findPublicProfile } from "~/modules/profiles/profiles.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: "NextLeipzig" }];
  const { locale, appUrl } = rootMetaData(matches);
  const t = translator(locale);
  const role = t(`role.${data.person.role}` as MessageKey);
  return socialMeta({
    title: `${data.person.displayName} · NextLeipzig`,
    description: data.person.bio || `${role}${data.person.district ? ` · ${data.person.district}` : ""}`,
    image: previewImage(data.portrait, t("images.portraitAlt", { name: data.person.displayName })),
    path: `/people/${data.person.id}`,
    locale,
    appUrl,
    type: "profile",
  });
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await requestLocale(request);
  const found = await findPublicProfile(params.personId ?? "", locale);
  if (!found) notFound();
  const posts = await visiblePostsOfAuthor(found.profile.user_id, locale);
  const viewer = await currentUser(request);
  const isSelf = viewer?.id === found.profile.user_id;
  const blocked = viewer && !isSelf ? await hasBlocked(viewer.id, found.profile.user_id) : false;
  // Only public fields leave the server: never the email address.
  const { profile, skills } = found;
  return {
    person: {
      id: profile.user_id,
      displayName: profile.display_name,
      role: profile.role,
      bio: profile.bio,
      district: profile.district,
      remoteOk: profile.remote_ok,
      languages: profile.languages,
      website: profile.website,
      isDemo: profile.is_demo,
      memberSince: profile.created_at,
    },
    skills,
    posts,
    portrait: await portraitOf(profile.user_id),
    viewer: { signedIn: Boolean(viewer), isSelf, blocked },
  };
}

export default function PersonPage() {
  const { person, skills, posts, portrait, viewer } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="profile-page">
      <header className="page-header">
        <p className="eyebrow">
          <span className="badge">{t(`role.${person.role}` as MessageKey)}</span>
          {person.isDemo ? <span className="badge demo">{t("common.demo")}</span> : null}
        </p>
        <div className="person-heading">
          <PersonPicture portrait={portrait} name={person.displayName} seed={String(person.id)} size={96} eager />
          <h1>{person.displayName}</h1>
        </div>
        <p className="meta">
          {person.district === "elsewhere" ? t("common.elsewhere") : person.district}
          {person.remoteOk ? <> · {t("profile.remote")}</> : null} ·{" "}
          {t("profile.memberSince", { date: formatDate(locale, person.memberSince) })}
        </p>
      </header>
      {params.get("notice") === "post-deleted" ? <Notice tone="success">{t("post.deleted")}</Notice> : null}
      {params.get("notice") === "blocked" ? <Notice tone="success">{t("contact.blocked")}</Notice> : null}
      {params.get("notice") === "unblocked" ? <Notice tone="success">{t("contact.unblocked")}</Notice> : null}
      {viewer.signedIn && !viewer.isSelf ? (
        <div className="button-row">
          {!viewer.blocked ? (
            <Link className="button" to={`/people/${person.id}/contact`}>
              {t("contact.button")}
            </Link>
          ) : null}
          <Form method="post" action={`/people/${person.id}/block`}>
            <button className="button secondary" name="intent" value={viewer.blocked ? "unblock" : "block"}>
              {viewer.blocked ? t("contact.unblock") : t("contact.block")}
            </button>
          </Form>
          <Link className="button secondary" to={`/report?type=person&id=${person.id}`}>
            {t("contact.report")}
          </Link>
        </div>
      ) : null}
      {!viewer.signedIn ? (
        <p>
          <Link className="button" to={`/login?redirectTo=/people/${person.id}/contact`}>
            {t("contact.button")}
          </Link>
        </p>
      ) : null}
      {person.bio ? <LinkifiedText text={person.bio} className="bio" /> : null}
      {person.languages.length ? (
        <p>
          {t("profile.speaks")}: {person.languages.map((code) => t(`language.${code}` as MessageKey)).join(", ")}
        </p>
      ) : null}
      {person.website ? (
        <p>
          <a href={person.website} rel="nofollow noopener noreferrer ugc">
            {person.website}
          </a>
        </p>
      ) : null}
      <div className="columns">
        <section>
          <h2>{t("profile.offers")}</h2>
          {skills.offered.length ? <SkillTags skills={skills.offered} /> : <p className="empty">—</p>}
        </section>
        <section>
          <h2>{t("profile.seeks")}</h2>
          {skills.sought.length ? <SkillTags skills={skills.sought} /> : <p className="empty">—</p>}
        </section>
      </div>
      <section>
        <h2>{t("profile.openPosts")}</h2>
        {posts.length === 0 ? <p className="empty">{t("profile.noPosts")}</p> : null}
        <div className="card-list">
          {posts.map((post) => (
            <PostCard key={post.id} post={post} />
          ))}
        </div>
      </section>
    </div>
  );
}
