/**
 * Photos on posts and portraits on profiles: stored with the post in one transaction, listed for pages as
 * ImageViews (content-addressed URLs per width), served with the visibility of what they belong to.
 */
import { db, type Db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { createS3ImageStore } from "./s3-store.server";
import { processImage, type ImageResult, type ProcessedImage } from "./pipeline.server";
import * as queries from "./queries.server";
import { postgresImageStore, type ImageStore } from "./store.server";
import { imageUrl, type ImageView } from "./types";

let chosen: { key: string; store: ImageStore } | undefined;
let override: ImageStore | undefined;

/** Tests name a store directly; undefined goes back to the configured one. */
export function useImageStore(next: ImageStore | undefined) {
  override = next;
}

/** The configured engine: S3 when S3_ENDPOINT (with bucket and keys) is set, else PostgreSQL. */
export function imageStore(): ImageStore {
  if (override) return override;
  const config = env().s3;
  const key = config ? JSON.stringify(config) : "postgres";
  if (chosen?.key !== key) chosen = { key, store: config ? createS3ImageStore(config) : postgresImageStore };
  return chosen.store;
}

/** The pipeline, as parseUploadForm's file processor. */
export const processUpload = (bytes: Buffer): Promise<ImageResult> => processImage(bytes);

export type NewImage = { image: ProcessedImage; alt: string };

async function insertImage(tx: Db, ownerId: string, postId: string | null, position: number, { image, alt }: NewImage) {
  const imageId = await queries.insertImage(tx, { ownerId, postId, position, alt, width: image.width, height: image.height });
  const variants = [];
  for (const variant of image.variants) {
    variants.push({
      width: variant.width,
      height: variant.height,
      hash: variant.hash,
      byteSize: variant.bytes.length,
      bytes: await imageStore().save(variant),
    });
  }
  await queries.insertVariants(tx, imageId, variants);
  return imageId;
}

export type PostPhotoChanges = {
  /** existing photos that stay, in their new order, with their (possibly changed) alt text */
  kept: { id: string; alt: string }[];
  removed: string[];
  /** new photos, placed after the kept ones */
  added: NewImage[];
};

/** Applies a post form's photo changes inside the post's transaction. Returns hashes to forget after the commit. */
export async function applyPostPhotoChanges(tx: Db, ownerId: string, postId: string, changes: PostPhotoChanges) {
  const forget = await queries.deletePostImages(tx, postId, changes.removed);
  for (const [position, photo] of changes.kept.entries()) await queries.updatePostImage(tx, postId, photo.id, { position, alt: photo.alt });
  for (const [index, added] of changes.added.entries()) await insertImage(tx, ownerId, postId, changes.kept.length + index, added);
  return forget;
}

/** Drops externally stored bytes no row names any more; called after the deleting transaction committed. */
export async function forgetImageBytes(hashes: string[]) {
  const store = imageStore();
  if (hashes.length === 0 || store.engine === "postgres") return;
  await store.forget(await queries.unreferencedHashes(db(), hashes));
}

function toView(row: queries.ImageRow): ImageView {
  return {
    id: row.id,
    alt: row.alt,
    width: row.width,
    height: row.height,
    position: row.position,
    sources: (row.variants ?? []).map((variant) => ({ url: imageUrl(variant.hash), width: variant.width })),
  };
}

export async function photosOfPosts(postIds: string[]): Promise<Map<string, ImageView[]>> {
  const photos = new Map<string, ImageView[]>();
  for (const row of await queries.imagesOfPosts(db(), postIds)) {
    const list = photos.get(row.post_id!) ?? [];
    list.push(toView(row));
    photos.set(row.post_id!, list);
  }
  return photos;
}

export async function photosOfPost(postId: string) {
  return (await photosOfPosts([postId])).get(postId) ?? [];
}

export async function coversOfPosts(postIds: string[]): Promise<Map<string, ImageView>> {
  return new Map((await queries.coversOfPosts(db(), postIds)).map((row) => [row.post_id!, toView(row)]));
}

/** Adds `cover` to each post (null without a photo), for cards. */
export async function withCovers<T extends { id: string }>(posts: T[]): Promise<(T & { cover: ImageView | null })[]> {
  const covers = await coversOfPosts(posts.map((post) => post.id));
  return posts.map((post) => ({ ...post, cover: covers.get(post.id) ?? null }));
}

/** People with their portrait (null where they have none), for lists of person cards. */
export async function withPortraits<T extends { id: string }>(people: T[]): Promise<(T & { portrait: ImageView | null })[]> {
  const portraits = people.length ? await portraitsOf(people.map((person) => person.id)) : new Map<string, ImageView>();
  return people.map((person) => ({ ...person, portrait: portraits.get(person.id) ?? null }));
}

export async function portraitsOf(userIds: string[]): Promise<Map<string, ImageView>> {
  return new Map((await queries.portraitsOf(db(), userIds)).map((row) => [row.owner_id, toView(row)]));
}

export async function portraitOf(userId: string) {
  return (await portraitsOf([userId])).get(userId) ?? null;
}

/** Replaces (or with `null` removes) a person's portrait in one transaction. */
export async function setPortrait(userId: string, portrait: NewImage | null, tx?: Db) {
  const run = async (sql: Db) => {
    const forget = await queries.deletePortrait(sql, userId);
    if (portrait) await insertImage(sql, userId, null, 0, portrait);
    return forget;
  };
  const forget = tx ? await run(tx) : await db().begin(run);
  if (!tx) await forgetImageBytes(forget);
  return forget;
}

/** An admin removes one image (a post photo or a portrait). */
export async function removeImageAsAdmin(imageId: string) {
  if (!/^\d{1,18}$/.test(imageId)) return undefined;
  const removed = await db().begin((tx) => queries.deleteImage(tx, imageId));
  if (removed) await forgetImageBytes(removed.hashes);
  return removed;
}

export async function hashesOfOwner(tx: Db, userId: string) {
  return queries.hashesOfOwner(tx, userId);
}

export type ServedImage = { status: "ok"; bytes: Buffer; restricted: boolean; ownerId: string } | { status: "missing" };

/** The bytes behind a content-addressed URL, and whether only its owner and admins may see it. */
export async function findImageBytes(hash: string): Promise<ServedImage> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(hash)) return { status: "missing" };
  const row = await queries.findVariant(db(), hash);
  if (!row) return { status: "missing" };
  const bytes = row.bytes ?? (await imageStore().load(hash));
  if (!bytes) return { status: "missing" };
  return { status: "ok", bytes, restricted: row.restricted, ownerId: row.owner_id };
}

/** For "Meine Daten": each image with its alt text, dimensions and the URLs of its variants. */
export async function imagesForExport(userId: string, appUrl: string) {
  const rows = await queries.exportImagesOf(db(), userId);
  return rows.map((row) => ({
    postId: row.post_id,
    portrait: row.post_id === null,
    position: row.position,
    alt: row.alt,
    width: row.width,
    height: row.height,
    variants: (row.variants ?? []).map((variant) => ({ width: variant.width, url: new URL(imageUrl(variant.hash), appUrl).toString() })),
  }));
}
