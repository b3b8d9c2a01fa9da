import { db, type Db } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";
import { enqueueChange } from "~/modules/outbox/outbox.server";
import { normalizeSkillLabel, slugify } from "./normalize";
import * as queries from "./queries.server";
import { isId } from "~/lib/ids";

export type { SkillRef } from "./queries.server";

export function skillLabel(skill: { label_de: string; label_en: string }, locale: Locale) {
  return locale === "en" ? skill.label_en : skill.label_de;
}

/**
 * Finds the canonical skill for each label (any language, any spelling); labels that match nothing become
 * user-defined skills. Same-label creations are serialised by an advisory lock, so a label never exists twice.
 */
export async function resolveSkillLabels(sql: Db, labels: string[], userId: string | null): Promise<queries.SkillRef[]> {
  const keyed = labels.map((label) => ({ label, key: normalizeSkillLabel(label) })).filter((entry) => entry.key);
  const found = new Map(
    (
      await queries.findSkillsByNormalizedLabels(
        sql,
        keyed.map((entry) => entry.key),
      )
    ).map((row) => [row.normalized, row]),
  );
  const result: queries.SkillRef[] = [];
  for (const { label, key } of keyed) {
    let skill: queries.SkillRef | undefined = found.get(key);
    if (!skill) {
      await queries.lockLabel(sql, key);
      [skill] = await queries.findSkillsByNormalizedLabels(sql, [key]);
      if (!skill) skill = await queries.insertUserSkill(sql, { slug: await uniqueSlug(sql, label), label, normalized: key, userId });
      found.set(key, { ...skill, normalized: key });
    }
    if (!result.some((existing) => existing.id === skill.id)) result.push(skill);
  }
  return result;
}

async function uniqueSlug(sql: Db, label: string) {
  const base = slugify(label);
  for (let suffix = 1; ; suffix++) {
    const slug = suffix === 1 ? base : `${base}-${suffix}`;
    if (!(await queries.slugExists(sql, slug))) return slug;
  }
}

export type SkillSuggestion = { id: string; slug: string; label: string; matchedLabel: string; userDefined: boolean };

/** Suggestions for what is typed; `viewerId` also sees the skills they made themselves (others only accepted ones). */
export async function suggestSkills(query: string, locale: Locale, limit = 8, viewerId: string | null = null): Promise<SkillSuggestion[]> {
  const key = normalizeSkillLabel(query.slice(0, 80));
  if (key.length < 2) return [];
  const rows = await queries.suggestSkills(db(), key, limit, viewerId && isId(viewerId) ? viewerId : null);
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    label: skillLabel(row, locale),
    matchedLabel: row.label,
    userDefined: row.source === "user",
  }));
}

/** A skill page names at most this many related skills, closest first. */
const RELATED_SHOWN = 12;

export async function findSkillPage(slug: string) {
  const sql = db();
  const skill = await queries.findSkillBySlug(sql, slug);
  if (!skill) return undefined;
  const [labels, groups, related] = await Promise.all([
    queries.labelsOfSkill(sql, skill.id),
    queries.groupsOfSkill(sql, skill.id),
    queries.relatedSkills(sql, [skill.id], { limitPerSkill: RELATED_SHOWN }),
  ]);
  return { skill, labels, groups, related };
}

export const listUserDefinedSkills = () => queries.listUserDefinedSkills(db());

/** False when the skill is not an unreviewed user-made one (already accepted, merged, canonical or unknown). */
export async function acceptUserSkill(skillId: string) {
  if (!isId(skillId)) return false;
  return queries.acceptUserSkill(db(), skillId);
}

export type MergeResult =
  { ok: true; postIds: string[]; userIds: string[] } | { ok: false; reason: "not_found" | "same" | "not_user_defined" };

/** An admin folds a user-defined skill into a canonical one; every post and profile tagged with it moves along. */
export async function mergeSkill(fromId: string, intoId: string): Promise<MergeResult> {
  return db().begin(async (tx): Promise<MergeResult> => {
    const from = await queries.findSkillById(tx, fromId);
    const into = await queries.findSkillById(tx, intoId);
    if (!from || !into || from.merged_into_id) return { ok: false, reason: "not_found" };
    if (from.id === into.id || into.merged_into_id === from.id) return { ok: false, reason: "same" };
    if (from.source !== "user") return { ok: false, reason: "not_user_defined" };
    const target = into.merged_into_id ?? into.id;
    const moved = await queries.mergeSkillInto(tx, from.id, target);
    await enqueueChange(tx, "post", moved.postIds);
    await enqueueChange(tx, "person", moved.userIds);
    return { ok: true, ...moved };
  });
}

/** The canonical (non user-defined) skill a label names, for the merge form. */
export async function findCanonicalSkillByLabel(label: string) {
  const [skill] = await queries.findSkillsByNormalizedLabels(db(), [normalizeSkillLabel(label)]);
  return skill && skill.source !== "user" ? skill : undefined;
}
