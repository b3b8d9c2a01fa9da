/** Renders a match's reason facts in the reader's language (browser-safe). */
import { translate, type Locale, type MessageKey } from "~/lib/i18n";
import type { MatchReason, SkillFact } from "./scoring";

/** At most this many skill names per list; the count still names them all. */
const MAX_SKILLS_NAMED = 5;

const label = (skill: SkillFact, locale: Locale) => (locale === "en" ? skill.label_en : skill.label_de);

function skillList(skills: SkillFact[], locale: Locale) {
  const names = skills.slice(0, MAX_SKILLS_NAMED).map((skill) => label(skill, locale));
  return skills.length > MAX_SKILLS_NAMED ? `${names.join(", ")} …` : names.join(", ");
}

/**
 * Says what fits, from one side: `reader` is the side the list belongs to (a need's list shows offers:
 * "bietet Laserschneiden – verwandt mit 3D-Druck"; an offer's list shows needs: "sucht 3D-Druck – verwandt mit
 * Laserschneiden"), then place, roles and exchange: "bietet Holzbau · gleicher Stadtteil (Plagwitz) · ehrenamtlich".
 */
export function describeReason(reason: MatchReason, locale: Locale, reader: "need" | "offer"): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const parts: string[] = [];
  if (reason.shared.length)
    parts.push(t(reader === "need" ? "matching.reason.offers" : "matching.reason.seeks", { skills: skillList(reason.shared, locale) }));
  const legacy = reason.near.filter((entry) => !entry.offer).map((entry) => entry.need);
  for (const entry of reason.near.slice(0, MAX_SKILLS_NAMED)) {
    if (!entry.offer) continue;
    const params = { need: label(entry.need, locale), offer: label(entry.offer, locale) };
    parts.push(t(reader === "need" ? "matching.reason.offersRelated" : "matching.reason.seeksRelated", params));
  }
  if (legacy.length) parts.push(t("matching.reason.near", { skills: skillList(legacy, locale) }));
  if (reason.place === "district" && reason.district) parts.push(t("matching.reason.sameDistrict", { district: reason.district }));
  else if (reason.place === "borough" && reason.borough) parts.push(t("matching.reason.sameBorough", { borough: reason.borough }));
  else if (reason.place === "city") parts.push(t("matching.reason.sameCity"));
  else if (reason.place === "remote") parts.push(t("matching.reason.remote"));
  if (reason.roles) {
    const [need, offer] = reason.roles;
    parts.push(t("matching.reason.roles", { need: t(`role.${need}` as MessageKey), offer: t(`role.${offer}` as MessageKey) }));
  }
  if (reason.exchange) parts.push(t(`exchange.${reason.exchange}` as MessageKey));
  return parts.join(" · ");
}
