import { z } from "zod";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import type { Locale } from "~/lib/i18n";
import { CATEGORIES, ROLES, type Category, type Role } from "~/lib/reference";
import { skillLabel } from "~/modules/skills/skills.server";
import * as queries from "./queries.server";

export const TOP_SKILLS = 10;
export const TOP_DISTRICTS = 10;
export const ACTIVITY_DAYS = 28;

/** The /stats filters; anything unknown means "all" (a GET page never fails on a hand-edited URL). */
export const pictureFilterSchema = z.object({
  category: z.enum(CATEGORIES).optional().catch(undefined),
  role: z.enum(ROLES).optional().catch(undefined),
});
export type PictureFilterInput = { category?: Category; role?: Role };

export type SkillCount = { id: string; slug: string; label: string; needs: number; offers: number; gap: number };

/**
 * The gap is needs minus offers: a skill asked for eight times and offered twice (gap 6) is a larger gap than
 * one asked for once and never offered (gap 1). Only skills needed more often than offered have a gap.
 */
export function rankSkills(rows: Omit<SkillCount, "gap">[], limit = TOP_SKILLS) {
  const withGap = rows.map((row) => ({ ...row, gap: row.needs - row.offers }));
  const byLabel = (a: SkillCount, b: SkillCount) => a.label.localeCompare(b.label, "de");
  return {
    mostNeeded: withGap
      .filter((row) => row.needs > 0)
      .sort((a, b) => b.needs - a.needs || a.offers - b.offers || byLabel(a, b))
      .slice(0, limit),
    mostOffered: withGap
      .filter((row) => row.offers > 0)
      .sort((a, b) => b.offers - a.offers || a.needs - b.needs || byLabel(a, b))
      .slice(0, limit),
    largestGap: withGap
      .filter((row) => row.gap > 0)
      .sort((a, b) => b.gap - a.gap || b.needs - a.needs || byLabel(a, b))
      .slice(0, limit),
  };
}

export type CityPicture = Awaited<ReturnType<typeof cityPicture>>;

/** Everything /stats shows, counted from the database on each request. */
export async function cityPicture(filter: PictureFilterInput, locale: Locale, options: { includeDemo?: boolean } = {}) {
  const sql = db();
  const queryFilter = {
    category: filter.category ?? null,
    role: filter.role ?? null,
    includeDemo: options.includeDemo ?? env().DEMO_DATA === "on",
  };
  const [demand, totals, districts, contactsAccepted, matchesMade] = await Promise.all([
    queries.skillDemand(sql, queryFilter),
    queries.postTotals(sql, queryFilter),
    queries.districtsWithMostNeeds(sql, queryFilter, TOP_DISTRICTS),
    queries.contactsAcceptedSince(sql, ACTIVITY_DAYS),
    queries.matchesMadeSince(sql, ACTIVITY_DAYS),
  ]);
  const skills = rankSkills(
    demand.map((row) => ({ id: row.id, slug: row.slug, label: skillLabel(row, locale), needs: row.needs, offers: row.offers })),
  );
  return {
    totals,
    ...skills,
    skillsWithPosts: demand.length,
    districts,
    activity: { days: ACTIVITY_DAYS, contactsAccepted, matchesMade },
  };
}
