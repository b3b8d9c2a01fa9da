import { translate, type Locale } from "~/lib/i18n";
import { emailButton, emailLayout, escapeHtml } from "./layout";

export function renderLoginLinkEmail(locale: Locale, link: string) {
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const subject = t("email.login.subject");
  const html = emailLayout({
    locale,
    title: subject,
    preheader: t("email.login.intro"),
    bodyHtml: `<p style="margin:0 0 8px 0;">${escapeHtml(t("email.login.intro"))}</p>
${emailButton(link, t("email.login.button"))}
<p style="margin:0 0 8px 0;word-break:break-all;font-size:14px;"><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>
<p class="muted" style="margin:16px 0 0 0;font-size:14px;color:#55675c;">${escapeHtml(t("email.login.validity"))}</p>`,
  });
  const text = `${t("email.login.intro")}\n\n${link}\n\n${t("email.login.validity")}\n\n-- \n${t("email.footer")}`;
  return { subject, html, text };
}
