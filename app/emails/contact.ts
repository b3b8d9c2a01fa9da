import { translate, type Locale, type MessageKey } from "~/lib/i18n";
import { emailButton, emailLayout, escapeHtml } from "./layout";

function render(
  locale: Locale,
  subjectKey: MessageKey,
  lines: string[],
  link: { href: string; labelKey: MessageKey },
  params: Record<string, string>,
) {
  const t = (key: MessageKey) => translate(locale, key, params);
  const subject = t(subjectKey);
  const html = emailLayout({
    locale,
    title: subject,
    preheader: lines[0] ?? subject,
    bodyHtml: `${lines.map((line) => `<p style="margin:0 0 12px 0;white-space:pre-line;">${escapeHtml(line)}</p>`).join("")}${emailButton(link.href, t(link.labelKey))}`,
  });
  const text = `${lines.join("\n\n")}\n\n${t(link.labelKey)}: ${link.href}\n\n-- \n${t("email.footer")}`;
  return { subject, html, text };
}

export function renderContactRequestEmail(
  locale: Locale,
  input: { senderName: string; message: string; postTitle: string | null; inboxUrl: string },
) {
  const params = { name: input.senderName, post: input.postTitle ?? "" };
  const intro = translate(locale, input.postTitle ? "contact.email.requestIntroPost" : "contact.email.requestIntro", params);
  return render(
    locale,
    "contact.email.requestSubject",
    [intro, `„${input.message}“`, translate(locale, "contact.email.privacyNote")],
    { href: input.inboxUrl, labelKey: "contact.email.open" },
    params,
  );
}

export function renderContactAcceptedEmail(locale: Locale, input: { recipientName: string; recipientEmail: string; threadUrl: string }) {
  const params = { name: input.recipientName, email: input.recipientEmail };
  return render(
    locale,
    "contact.email.acceptedSubject",
    [translate(locale, "contact.email.acceptedIntro", params)],
    { href: input.threadUrl, labelKey: "contact.email.open" },
    params,
  );
}

export function renderThreadMessageEmail(locale: Locale, input: { authorName: string; body: string; threadUrl: string }) {
  const params = { name: input.authorName };
  return render(
    locale,
    "contact.email.messageSubject",
    [translate(locale, "contact.email.messageIntro", params), input.body],
    { href: input.threadUrl, labelKey: "contact.email.open" },
    params,
  );
}
