import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { forgetImageBytes, hashesOfOwner, imagesForExport } from "~/modules/images/images.server";
import { enqueueChange } from "~/modules/outbox/outbox.server";
import * as queries from "./queries.server";

/** "Meine Daten": everything stored about the person, as one JSON document. */
export async function exportPersonalData(userId: string) {
  const data = await queries.collectPersonalData(db(), userId);
  // photos and the portrait as their stored WebP files' URLs, with alt text and size
  const images = await imagesForExport(userId, env().APP_URL);
  return { exportedAt: new Date().toISOString(), service: "NextLeipzig", ...data, images };
}

/**
 * Deletes the account with everything that names the person: profile, posts, matches, contact requests,
 * sessions and pending emails go with the user row (cascades); the delivery log is scrubbed; search documents
 * are removed by the search worker from the events written here.
 */
export async function deleteAccount(userId: string) {
  let imageHashes: string[] = [];
  const deleted = await db().begin(async (tx) => {
    const email = await queries.userEmail(tx, userId);
    if (!email) return false;
    // images go with the user row (cascade); an external store's copies are dropped after the commit
    imageHashes = await hashesOfOwner(tx, userId);
    const postIds = await queries.postIdsOfAuthor(tx, userId);
    await enqueueChange(tx, "post", postIds);
    await enqueueChange(tx, "person", [userId]);
    await queries.scrubEmails(tx, userId, email);
    await queries.deleteReportsAbout(tx, userId, postIds);
    await queries.deleteUser(tx, userId);
    return true;
  });
  if (deleted) await forgetImageBytes(imageHashes);
  return deleted;
}
