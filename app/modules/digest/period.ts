/** Period keys make a digest exactly-once: one row per person and period ("2026-W48" weekly, "2026-11-25" daily). */
export type DigestFrequency = "weekly" | "daily";

function partsIn(date: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day") };
}

/** ISO 8601 week of a calendar day. */
function isoWeek(year: number, month: number, day: number) {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const weekYear = date.getUTCFullYear();
  const firstDay = new Date(Date.UTC(weekYear, 0, 1));
  const week = Math.ceil(((date.getTime() - firstDay.getTime()) / 86_400_000 + 1) / 7);
  return { weekYear, week };
}

export function periodKey(date: Date, frequency: DigestFrequency, timeZone: string): string {
  const { year, month, day } = partsIn(date, timeZone);
  if (frequency === "daily") return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const { weekYear, week } = isoWeek(year, month, day);
  return `${weekYear}-W${String(week).padStart(2, "0")}`;
}
