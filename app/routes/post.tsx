import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { Notice } from "~/components/form";
import { useLocale, useRootData, useT } from "~/components/i18n";
import { LinkifiedText } from "~/components/linkified-text";
import { MatchCard } from "~/components/match-card";
import { PlaceLabel, SkillTags } from "~/components/post-card";
import { forbidden, idParam, notFound, redirectWithNotice } from "~/lib/http.server";
import { formatDate, type MessageKey } from "~/lib/i18n";
import { previewImage, rootMetaData, socialMeta } from "~/lib/social-meta";
import { currentUser, requestLocale, requireUser } from "~/modules/accounts/session.server";
import { changePostStatus, deletePost, findPostForViewer, renewPost } from "~/modules/posts/posts.server";
import { photosOfPost, portraitOf, removeImageAsAdmin } from "~/modules/images/images.server";
import { sourceFor } from "~/modules/images/types";
import { PersonPicture } from "~/components/person-picture";
import { Picture } from "~/components/picture";
import { matchesPendingForPost, postMatchCards } from "~/modules/matching/matching.server";
import { postStatusActionSchema } from "~/modules/posts/schema";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: "NextLeipzig" }];
  const { locale, appUrl } = rootMetaData(matches);
  return socialMeta({
    title: `${data.post.title} · NextLeipzig`,
    description: data.post.description,
    image: previewImage(data.photos[0]),
    path: `/posts/${data.post.id}`,
    locale,
    appUrl,
    type: "article",
  });
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await currentUser(request);
  const locale = await requestLocale(request);
  const found = await findPostForViewer(params.postId ?? "", user ? { id: user.id, isAdmin: user.is_admin } : undefined, locale);
  if (!found) notFound();
  const [matches, matchesPending, photos, authorPortrait] = await Promise.all([
    postMatchCards(found.post.id, locale, 5),
    // The author, right after publishing or editing, is told when the worker has still to compute the matches.
    found.isOwner && found.post.status === "open" ? matchesPendingForPost(found.post.id) : false,
    photosOfPost(found.post.id),
    portraitOf(found.post.author_id),
  ]);
  return {
    post: found.post,
    photos,
    authorPortrait,
    canEdit: found.canEdit,
    isOwner: found.isOwner,
    isAdmin: Boolean(user?.is_admin),
    matches,
    matchesPending,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const postId = idParam(params.postId);
  const parsed = postStatusActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw redirect(`/posts/${postId}`);
  const actor = { id: user.id, isAdmin: user.is_admin };
  if (parsed.data.intent === "remove-image") {
    if (!user.is_admin) forbidden();
    await removeImageAsAdmin(parsed.data.imageId);
    return redirectWithNotice(`/posts/${postId}`, "image-removed");
  }
  if (parsed.data.intent === "delete") {
    if (!(await deletePost(postId, actor))) forbidden();
    return redirectWithNotice(`/people/${user.id}`, "post-deleted");
  }
  if (parsed.data.intent === "renew") {
    if (!(await renewPost(postId, actor))) forbidden();
    return redirectWithNotice(`/posts/${postId}`, "renewed");
  }
  const status = parsed.data.intent === "fulfil" ? "fulfilled" : parsed.data.intent === "close" ? "closed" : "open";
  if (!(await changePostStatus(postId, actor, status))) forbidden();
  return redirectWithNotice(`/posts/${postId}`, "status");
}

const PENDING_REFRESH_SECONDS = 3;

/**
 * Matches are being computed: says so and refreshes — with JavaScript by reloading the data every few seconds,
 * without it by a meta refresh (inside <noscript>, so a scripted page is never reloaded as a whole).
 */
function MatchesPending() {
  const t = useT();
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, PENDING_REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <>
      <noscript>
        <meta httpEquiv="refresh" content={String(PENDING_REFRESH_SECONDS)} />
      </noscript>
      <p className="notice pending" role="status">
        {t("post.matchesPending")}
      </p>
    </>
  );
}

export default function PostPage() {
  const { post, photos, authorPortrait, canEdit, isOwner, isAdmin, matches, matchesPending } = useLoaderData<typeof loader>();
  const { user } = useRootData();
  const [params] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const notice = params.get("notice");
  return (
    <div className="post-page">
      {notice === "saved" ? <Notice tone="success">{t("post.saved")}</Notice> : null}
      {notice === "status" ? <Notice tone="success">{t("post.statusChanged")}</Notice> : null}
      {notice === "renewed" ? <Notice tone="success">{t("post.renewed", { date: formatDate(locale, post.expires_at) })}</Notice> : null}
      {notice === "image-removed" ? <Notice tone="success">{t("images.adminRemoved")}</Notice> : null}
      {post.hidden_at ? <Notice tone="error">{t("post.hidden")}</Notice> : null}
      <article>
        <header className="page-header">
          <p className="eyebrow">
            <span className={`badge kind-${post.kind}`}>{t(`kind.${post.kind}` as MessageKey)}</span>
            <span>{t(`category.${post.category}` as MessageKey)}</span>
            {post.status !== "open" ? <span className="badge muted">{t(`status.${post.status}` as MessageKey)}</span> : null}
            {post.isExpired ? <span className="badge muted">{t("post.expired")}</span> : null}
            {post.is_demo ? <span className="badge demo">{t("common.demo")}</span> : null}
          </p>
          <h1>{post.title}</h1>
          <p className="meta">
            {post.author_name ? (
              <>
                <PersonPicture portrait={authorPortrait} name={post.author_name} seed={post.author_id} size={28} />{" "}
                <Link to={`/people/${post.author_id}`}>{post.author_name}</Link>
                {post.author_role ? <> ({t(`role.${post.author_role}` as MessageKey)})</> : null} ·{" "}
              </>
            ) : null}
            <PlaceLabel district={post.district} isRemote={post.is_remote} /> · {t(`exchange.${post.exchange_mode}` as MessageKey)} ·{" "}
            {t("post.created", { date: formatDate(locale, post.created_at) })} ·{" "}
            {t("post.expires", { date: formatDate(locale, post.expires_at) })}
          </p>
        </header>
        {photos.length > 0 ? (
          <section className="gallery" aria-label={t("images.gallery")}>
            {photos.map((photo, index) => (
              <figure key={photo.id} className={index === 0 ? "gallery-cover" : "gallery-item"}>
                {/* the cover is above the fold: loaded at once; the others when scrolled to */}
                {/* the largest width opens on its own: the thumbnails are cropped squares */}
                <a href={sourceFor(photo, Number.POSITIVE_INFINITY).url}>
                  <Picture
                    image={photo}
                    eager={index === 0}
                    sizes={index === 0 ? "(max-width: 60rem) 100vw, 60rem" : "(max-width: 40rem) 50vw, 20rem"}
                  />
                </a>
                {isAdmin ? (
                  <Form method="post">
                    <input type="hidden" name="imageId" value={photo.id} />
                    <button className="button secondary small" name="intent" value="remove-image">
                      {t("images.adminRemove")}
                    </button>
                  </Form>
                ) : null}
              </figure>
            ))}
          </section>
        ) : null}
        <SkillTags skills={post.skills} />
        <LinkifiedText text={post.description} className="description" />
      </article>
      {!isOwner ? (
        <div className="button-row">
          <Link
            className="button"
            to={
              user
                ? `/people/${post.author_id}/contact?post=${post.id}`
                : `/login?redirectTo=${encodeURIComponent(`/people/${post.author_id}/contact?post=${post.id}`)}`
            }
          >
            {t("contact.button")}
          </Link>
          {user ? (
            <Link className="button secondary" to={`/report?type=post&id=${post.id}`}>
              {t("contact.report")}
            </Link>
          ) : null}
        </div>
      ) : null}
      {canEdit ? (
        <section className="owner-actions" aria-labelledby="owner-actions">
          <h2 id="owner-actions">{t("post.ownerActions")}</h2>
          <div className="button-row">
            <Link to={`/posts/${post.id}/edit`} className="button secondary">
              {t("post.edit")}
            </Link>
            <Form method="post">
              <button className="button secondary" name="intent" value="renew">
                {t("post.renew")}
              </button>
            </Form>
            {post.status === "open" ? (
              <>
                <Form method="post">
                  <button className="button secondary" name="intent" value="fulfil">
                    {t("post.fulfil")}
                  </button>
                </Form>
                <Form method="post">
                  <button className="button secondary" name="intent" value="close">
                    {t("post.close")}
                  </button>
                </Form>
              </>
            ) : (
              <Form method="post">
                <button className="button secondary" name="intent" value="reopen">
                  {t("post.reopen")}
                </button>
              </Form>
            )}
          </div>
          <Form method="post" className="delete-post">
            <label className="checkbox">
              <input type="checkbox" name="confirm" /> {t("post.deleteConfirm")}
            </label>
            <button className="button secondary danger" name="intent" value="delete">
              {t("post.delete")}
            </button>
          </Form>
        </section>
      ) : null}
      <section className="post-matches" aria-labelledby="post-matches">
        <h2 id="post-matches">{t(post.kind === "need" ? "matching.post.offersTitle" : "matching.post.needsTitle")}</h2>
        {matchesPending ? <MatchesPending /> : matches.length === 0 ? <p className="empty">{t("matching.post.empty")}</p> : null}
        <div className="card-list">
          {matches.map((match) => (
            <MatchCard key={`${match.other.kind}-${match.other.id}`} match={match} />
          ))}
        </div>
      </section>
    </div>
  );
}
