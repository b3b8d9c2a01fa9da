import type { Db } from "~/lib/db.server";

export type ImageRow = {
  id: string;
  post_id: string | null;
  owner_id: string;
  position: number;
  alt: string;
  width: number;
  height: number;
  variants: { width: number; hash: string }[];
};

const imageColumns = (sql: Db) => sql`
  i.id, i.post_id, i.owner_id, i.position, i.alt, i.width, i.height,
  (select json_agg(json_build_object('width', v.width, 'hash', v.hash) order by v.width) from image_variants v where v.image_id = i.id) as variants`;

export async function insertImage(
  sql: Db,
  image: { ownerId: string; postId: string | null; position: number; alt: string; width: number; height: number },
) {
  const [row] = await sql<[{ id: string }]>`
    insert into images (owner_id, post_id, is_portrait, position, alt, width, height)
    values (${image.ownerId}, ${image.postId}, ${image.postId === null}, ${image.position}, ${image.alt}, ${image.width}, ${image.height})
    returning id`;
  return row.id;
}

export async function insertVariants(
  sql: Db,
  imageId: string,
  variants: { width: number; height: number; hash: string; byteSize: number; bytes: Buffer | null }[],
) {
  await sql`
    insert into image_variants ${sql(
      variants.map((variant) => ({
        image_id: imageId,
        width: variant.width,
        height: variant.height,
        hash: variant.hash,
        byte_size: variant.byteSize,
        bytes: variant.bytes,
      })),
    )}`;
}

export async function imagesOfPosts(sql: Db, postIds: string[]) {
  if (postIds.length === 0) return [];
  return sql<ImageRow[]>`select ${imageColumns(sql)} from images i where i.post_id = any(${postIds}) order by i.post_id, i.position, i.id`;
}

/** The first photo of each post. */
export async function coversOfPosts(sql: Db, postIds: string[]) {
  if (postIds.length === 0) return [];
  return sql<ImageRow[]>`
    select distinct on (i.post_id) ${imageColumns(sql)} from images i
    where i.post_id = any(${postIds}) order by i.post_id, i.position, i.id`;
}

export async function portraitsOf(sql: Db, userIds: string[]) {
  if (userIds.length === 0) return [];
  return sql<ImageRow[]>`select ${imageColumns(sql)} from images i where i.is_portrait and i.owner_id = any(${userIds})`;
}

/** Alt text and place of a post's photo; the post id and owner are part of the WHERE clause. */
export async function updatePostImage(sql: Db, postId: string, imageId: string, change: { position: number; alt: string }) {
  await sql`update images set position = ${change.position}, alt = ${change.alt} where id = ${imageId} and post_id = ${postId}`;
}

/** Deletes these photos of the post; returns the hashes whose bytes may have to go from an external store. */
export async function deletePostImages(sql: Db, postId: string, imageIds: string[]) {
  if (imageIds.length === 0) return [];
  const rows = await sql<{ hash: string }[]>`
    with gone as (delete from images where post_id = ${postId} and id = any(${imageIds}) returning id)
    select v.hash from image_variants v join gone on gone.id = v.image_id`;
  return rows.map((row) => row.hash);
}

export async function deletePortrait(sql: Db, userId: string) {
  const rows = await sql<{ hash: string }[]>`
    with gone as (delete from images where owner_id = ${userId} and is_portrait returning id)
    select v.hash from image_variants v join gone on gone.id = v.image_id`;
  return rows.map((row) => row.hash);
}

/** An admin removes one image; returns its post (for the search/match refresh) and hashes. */
export async function deleteImage(sql: Db, imageId: string) {
  const hashes = await sql<{ hash: string }[]>`select hash from image_variants where image_id = ${imageId}`;
  const [row] = await sql<{ post_id: string | null }[]>`delete from images where id = ${imageId} returning post_id`;
  return row ? { postId: row.post_id, hashes: hashes.map((hash) => hash.hash) } : undefined;
}

/** Hashes of every variant of a person's images (posts and portrait): read before the account goes. */
export async function hashesOfOwner(sql: Db, userId: string) {
  const rows = await sql<
    { hash: string }[]
  >`select v.hash from image_variants v join images i on i.id = v.image_id where i.owner_id = ${userId}`;
  return rows.map((row) => row.hash);
}

/** Of these hashes, those no variant row names any more. */
export async function unreferencedHashes(sql: Db, hashes: string[]) {
  if (hashes.length === 0) return [];
  const rows = await sql<{ hash: string }[]>`
    select h.hash from unnest(${hashes}::text[]) as h(hash)
    where not exists (select 1 from image_variants v where v.hash = h.hash)`;
  return rows.map((row) => row.hash);
}

export type ServedVariant = {
  bytes: Buffer | null;
  owner_id: string;
  /** a hidden post, a removed author: only the owner and admins may still see it */
  restricted: boolean;
};

export async function findVariant(sql: Db, hash: string) {
  const [row] = await sql<ServedVariant[]>`
    select v.bytes, i.owner_id,
           (u.banned_at is not null or coalesce(p.hidden_at is not null, false)) as restricted
    from image_variants v join images i on i.id = v.image_id join users u on u.id = i.owner_id
    left join posts p on p.id = i.post_id
    where v.hash = ${hash}
    order by restricted
    limit 1`;
  return row;
}

export async function exportImagesOf(sql: Db, userId: string) {
  return sql<
    ImageRow[]
  >`select ${imageColumns(sql)} from images i where i.owner_id = ${userId} order by i.post_id nulls first, i.position, i.id`;
}
