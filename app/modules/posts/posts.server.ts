import { db } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";
import { applyPostPhotoChanges, coversOfPosts, forgetImageBytes, type PostPhotoChanges } from "~/modules/images/images.server";
import type { ImageView } from "~/modules/images/types";
import { forgetReportsAboutPost } from "~/modules/moderation/moderation.server";
import { enqueueChange } from "~/modules/outbox/outbox.server";
import { resolveSkillLabels, skillLabel } from "~/modules/skills/skills.server";
import * as queries from "./queries.server";
import { DEFAULT_POST_DAYS, type PostInput } from "./schema";
import { isId } from "~/lib/ids";

export type { PostRow } from "./queries.server";

export type Actor = { id: string; isAdmin: boolean };
export type PostSkill = { id: string; slug: string; label: string };
export type PostView = queries.PostRow & { skills: PostSkill[]; isExpired: boolean; cover: ImageView | null };

const NO_PHOTO_CHANGES: PostPhotoChanges = { kept: [], removed: [], added: [] };

/** The post, its skills and its photos in one transaction: a post is never saved without the photos it was sent with. */
export async function createPost(authorId: string, input: PostInput, photos: PostPhotoChanges = NO_PHOTO_CHANGES): Promise<string> {
  return db().begin(async (tx) => {
    const postId = await queries.insertPost(tx, authorId, input);
    const skills = await resolveSkillLabels(tx, input.skills, authorId);
    await queries.replacePostSkills(
      tx,
      postId,
      skills.map((skill) => skill.id),
    );
    await applyPostPhotoChanges(tx, authorId, postId, photos);
    await enqueueChange(tx, "post", [postId]);
    return postId;
  });
}

/**
 * Returns false, changing nothing, when the actor may not edit the post (the check is in the UPDATE itself).
 * Photos added by an admin belong to the post's author.
 */
export async function updatePost(
  postId: string,
  actor: Actor,
  input: PostInput,
  photos: PostPhotoChanges = NO_PHOTO_CHANGES,
): Promise<boolean> {
  if (!isId(postId)) return false;
  const forget = await db().begin(async (tx) => {
    const authorId = await queries.updatePost(tx, postId, actor, input);
    if (!authorId) return undefined;
    const skills = await resolveSkillLabels(tx, input.skills, actor.id);
    await queries.replacePostSkills(
      tx,
      postId,
      skills.map((skill) => skill.id),
    );
    const forget = await applyPostPhotoChanges(tx, authorId, postId, photos);
    await enqueueChange(tx, "post", [postId]);
    return forget;
  });
  if (!forget) return false;
  await forgetImageBytes(forget);
  return true;
}

export async function changePostStatus(postId: string, actor: Actor, status: "open" | "fulfilled" | "closed") {
  if (!isId(postId)) return false;
  return db().begin(async (tx) => {
    if (!(await queries.setPostStatus(tx, postId, actor, status))) return false;
    await enqueueChange(tx, "post", [postId]);
    return true;
  });
}

/** Deletes the post with its photos, matches and reports; false when the actor may not. */
export async function deletePost(postId: string, actor: Actor) {
  if (!isId(postId)) return false;
  const hashes = await db().begin(async (tx) => {
    const hashes = await queries.imageHashesOfPost(tx, postId);
    if (!(await queries.deletePost(tx, postId, actor))) return undefined;
    await forgetReportsAboutPost(tx, postId);
    // the search worker finds the post gone and removes its document
    await enqueueChange(tx, "post", [postId]);
    return hashes;
  });
  if (!hashes) return false;
  await forgetImageBytes(hashes);
  return true;
}

export async function renewPost(postId: string, actor: Actor) {
  if (!isId(postId)) return undefined;
  return db().begin(async (tx) => {
    const expiresAt = await queries.renewPost(tx, postId, actor, DEFAULT_POST_DAYS);
    if (expiresAt) await enqueueChange(tx, "post", [postId]);
    return expiresAt;
  });
}

async function withSkills(rows: queries.PostRow[], locale: Locale): Promise<PostView[]> {
  const postIds = rows.map((row) => row.id);
  const [skills, covers] = await Promise.all([queries.skillsOfPosts(db(), postIds), coversOfPosts(postIds)]);
  const now = Date.now();
  return rows.map((row) => ({
    ...row,
    cover: covers.get(row.id) ?? null,
    isExpired: new Date(row.expires_at).getTime() <= now,
    skills: skills
      .filter((skill) => skill.post_id === row.id)
      .map((skill) => ({ id: skill.id, slug: skill.slug, label: skillLabel(skill, locale) })),
  }));
}

/**
 * A post as the viewer may see it: everyone sees visible posts; the author and admins also see their
 * closed, expired or hidden ones.
 */
export async function findPostForViewer(postId: string, viewer: Actor | undefined, locale: Locale) {
  if (!isId(postId)) return undefined;
  const row = await queries.findPost(db(), postId);
  if (!row) return undefined;
  const isOwner = viewer?.id === row.author_id;
  // Without a cover: the post's page shows all its photos (photosOfPost).
  const post: Omit<PostView, "cover"> = {
    ...row,
    isExpired: new Date(row.expires_at).getTime() <= Date.now(),
    skills: row.skills.map((skill) => ({ id: skill.id, slug: skill.slug, label: skillLabel(skill, locale) })),
  };
  const publiclyVisible = row.status === "open" && !row.hidden_at && !post.isExpired && !row.author_banned;
  if (!publiclyVisible && !isOwner && !viewer?.isAdmin) return undefined;
  return { post, isOwner, canEdit: isOwner || Boolean(viewer?.isAdmin) };
}

export async function findEditablePost(postId: string, actor: Actor, locale: Locale) {
  const found = await findPostForViewer(postId, actor, locale);
  return found?.canEdit ? found.post : undefined;
}

export async function newestPosts(kind: "offer" | "need", locale: Locale, limit = 6) {
  return withSkills(await queries.listNewestVisiblePosts(db(), kind, limit), locale);
}

export async function visiblePostsOfAuthor(authorId: string, locale: Locale) {
  return withSkills(await queries.listVisiblePostsOfAuthor(db(), authorId), locale);
}

export async function allPostsOfAuthor(authorId: string, locale: Locale) {
  return withSkills(await queries.listPostsOfAuthor(db(), authorId), locale);
}
