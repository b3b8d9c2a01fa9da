import { db, type Db } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";
import { enqueueChange } from "~/modules/outbox/outbox.server";
import { resolveSkillLabels, skillLabel } from "~/modules/skills/skills.server";
import { forgetImageBytes, setPortrait, type NewImage } from "~/modules/images/images.server";
import * as queries from "./queries.server";
import type { ProfileInput } from "./schema";
import { isId } from "~/lib/ids";

export type { ProfileRow } from "./queries.server";

/** Saves the profile and its skills in one transaction and queues the search and match updates. */
/** `portrait`: a new one replaces the old, null removes it, undefined leaves it as it is; all in the profile's transaction. */
export async function saveProfile(userId: string, input: ProfileInput, portrait?: NewImage | null) {
  const forget = await db().begin(async (tx) => {
    await queries.upsertProfile(tx, userId, input);
    const offered = await resolveSkillLabels(tx, input.skillsOffered, userId);
    const sought = await resolveSkillLabels(tx, input.skillsSought, userId);
    await queries.replaceProfileSkills(
      tx,
      userId,
      "offer",
      offered.map((skill) => skill.id),
    );
    await queries.replaceProfileSkills(
      tx,
      userId,
      "seek",
      sought.map((skill) => skill.id),
    );
    await enqueueChange(tx, "person", [userId]);
    return portrait === undefined ? [] : await setPortrait(userId, portrait, tx);
  });
  await forgetImageBytes(forget);
}

function splitSkills(rows: queries.ProfileSkillRow[], locale: Locale) {
  const toView = (row: queries.ProfileSkillRow) => ({ id: row.id, slug: row.slug, label: skillLabel(row, locale) });
  return {
    offered: rows.filter((row) => row.direction === "offer").map(toView),
    sought: rows.filter((row) => row.direction === "seek").map(toView),
  };
}

export async function findOwnProfile(userId: string, locale: Locale) {
  const profile = await queries.findProfile(db(), userId);
  if (!profile) return undefined;
  return { profile, skills: splitSkills(await queries.profileSkills(db(), userId), locale) };
}

export async function findPublicProfile(userId: string, locale: Locale) {
  if (!isId(userId)) return undefined;
  const profile = await queries.findPublicProfile(db(), userId);
  if (!profile) return undefined;
  return { profile, skills: splitSkills(await queries.profileSkills(db(), userId), locale) };
}

export async function setDigestFrequency(userId: string, frequency: "weekly" | "daily" | "off") {
  return queries.setDigestFrequency(db(), userId, frequency);
}

/** An address that bounced or complained gets no more digests (Resend webhook); runs in the caller's transaction. */
export function turnOffDigestsForEmail(sql: Db, email: string) {
  return queries.turnOffDigestsForEmail(sql, email);
}
