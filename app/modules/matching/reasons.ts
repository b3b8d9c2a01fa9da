/** Renders a match's reason facts in the reader's language (browser-safe). */
import { translate, type Locale, type MessageKey } from "~/lib/i18n";
import type { MatchReason } from "./scoring";

/** At most this many skill names per list; the count still names them all. */
const MAX_SKILLS_NAMED = 5;

function skillList(skills: MatchReason["shared"], locale: Locale) {
  const names = skills.slice(0, MAX_SKILLS_NAMED).map((skill) => (locale === "en" ? skill.label_en : skill.label_de));
  return skills.length > MAX_SKILLS_NAMED ? `${names.join(", ")} …` : names.join(", ");
}

/** "Teilt 2 Fähigkeiten: Holzbau, CNC-Fräsen · gleicher Stadtteil (Plagwitz) · ehrenamtlich" */
export function describeReason(reason: MatchReason, locale: Locale): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const parts: string[] = [];
  if (reason.shared.length) parts.push(t("matching.reason.shared", { count: reason.shared.length, skills: skillList(reason.shared, locale) }));
  if (reason.near.length) parts.push(t("matching.reason.near", { skills: skillList(reason.near, locale) }));
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
