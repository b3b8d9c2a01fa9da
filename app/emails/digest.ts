import { translate, type Locale, type MessageKey } from "~/lib/i18n";
import { emailButton, emailLayout, escapeHtml } from "./layout";

export type DigestEmailGroup = "needs_for_you" | "offers_for_your_needs" | "people";

/** One line of the digest as plain data; the reason is already written in the reader's language. */
export type DigestEmailLine = {
  group: DigestEmailGroup;
  title: string;
  /** path on the site, e.g. /posts/12 */
  path: string;
  mutual: boolean;
  reason: string;
  /** the title of my post it fits, or null when it fits my profile */
  minePostTitle: string | null;
  /** the post's cover photo (absolute URL, display size), or null */
  image: { url: string; width: number; height: number } | null;
  /** the other ways the same person fits: their other posts, their profile */
  alsoVia: { kind: "post" | "person"; title: string }[];
};

const GROUPS: { group: DigestEmailGroup; title: MessageKey }[] = [
  { group: "needs_for_you", title: "digest.email.groupNeeds" },
  { group: "offers_for_your_needs", title: "digest.email.groupOffers" },
  { group: "people", title: "digest.email.groupPeople" },
];

export function renderDigestEmail(input: {
  locale: Locale;
  name: string;
  matches: DigestEmailLine[];
  total: number;
  appUrl: string;
  unsubscribeUrl: string;
}) {
  const { locale, matches, total, appUrl } = input;
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const subject = t("digest.email.subject", { count: total });
  const more = total - matches.length;
  // One person can fit several of my posts and my profile: each line says which of mine it is for.
  const forMine = (match: DigestEmailLine) =>
    match.minePostTitle !== null ? t("matching.forPost", { title: match.minePostTitle }) : t("matching.forProfile");
  // each person once: the other ways they fit (their other posts, their profile) go on the same line
  const alsoVia = (match: DigestEmailLine) =>
    match.alsoVia.length
      ? ` · ${t("matching.alsoVia")} ${match.alsoVia.map((way) => (way.kind === "person" ? t("matching.theirProfile") : way.title)).join(", ")}`
      : "";

  const htmlSections: string[] = [];
  const textSections: string[] = [];
  for (const { group, title } of GROUPS) {
    const items = matches.filter((match) => match.group === group);
    if (items.length === 0) continue;
    htmlSections.push(
      `<h2 style="margin:24px 0 8px 0;font:700 18px/1.3 Arial,Helvetica,sans-serif;">${escapeHtml(t(title))}</h2>` +
        items
          .map((match) => {
            const href = `${appUrl}${match.path}`;
            const mutual = match.mutual
              ? ` <span style="font-size:13px;color:#1b6b45;">(${escapeHtml(t("digest.email.mutual"))})</span>`
              : "";
            // A cover is decoration beside the linked title (alt=""), so it never repeats the title to screen readers.
            const image = match.image
              ? `<a href="${escapeHtml(href)}"><img src="${escapeHtml(match.image.url)}" width="${match.image.width}" height="${match.image.height}" alt="" style="display:block;border:0;border-radius:6px;margin:0 0 6px 0;"></a>`
              : "";
            return `${image}<p style="margin:0 0 14px 0;"><a href="${escapeHtml(href)}" style="font-weight:700;">${escapeHtml(match.title)}</a>${mutual}<br><span class="muted" style="font-size:14px;color:#55675c;">${escapeHtml(match.reason)}<br>${escapeHtml(forMine(match) + alsoVia(match))}</span></p>`;
          })
          .join(""),
    );
    textSections.push(
      `${t(title)}\n${"-".repeat(t(title).length)}\n` +
        items
          .map(
            (match) =>
              `* ${match.title}${match.mutual ? ` (${t("digest.email.mutual")})` : ""}\n  ${match.reason}\n  ${forMine(match)}${alsoVia(match)}\n  ${appUrl}${match.path}`,
          )
          .join("\n\n"),
    );
  }
  const moreHtml = more > 0 ? `<p style="margin:16px 0 0 0;">${escapeHtml(t("digest.email.more", { count: more }))}</p>` : "";
  const footerHtml = `<a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#55675c;">${escapeHtml(t("digest.email.unsubscribe"))}</a><br>`;
  const html = emailLayout({
    locale,
    title: subject,
    preheader: t("digest.email.intro", { name: input.name, count: total }),
    bodyHtml: `<p style="margin:0 0 8px 0;">${escapeHtml(t("digest.email.intro", { name: input.name, count: total }))}</p>${htmlSections.join("")}${moreHtml}${emailButton(`${appUrl}/matches`, t("digest.email.allMatches"))}`,
    footerHtml,
  });
  const text = [
    t("digest.email.intro", { name: input.name, count: total }),
    ...textSections,
    more > 0 ? t("digest.email.more", { count: more }) : "",
    `${t("digest.email.allMatches")}: ${appUrl}/matches`,
    `-- \n${t("digest.email.unsubscribe")}: ${input.unsubscribeUrl}\n${t("email.footer")}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  return { subject, html, text };
}
