import { translate, type Locale } from "~/lib/i18n";

export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Table-based, inline-styled layout: the subset of HTML that Gmail, Outlook and Apple Mail render alike.
 * Colours are chosen to stay readable when a client inverts them in dark mode.
 */
export function emailLayout(options: { locale: Locale; title: string; preheader: string; bodyHtml: string; footerHtml?: string }) {
  const { locale, title, preheader, bodyHtml, footerHtml = "" } = options;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(title)}</title>
<style>
  @media (max-width: 620px) { .container { width: 100% !important; } .pad { padding: 20px !important; } }
  @media (prefers-color-scheme: dark) {
    body, .bg { background: #14201a !important; }
    .card { background: #1d2b24 !important; color: #e8f0eb !important; }
    .muted { color: #b8c7be !important; }
    a { color: #8fe0b0 !important; }
  }
</style>
</head>
<body style="margin:0;padding:0;background:#f3f6f4;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${escapeHtml(preheader)}</div>
<table role="presentation" class="bg" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f6f4;">
<tr><td align="center" style="padding:24px 12px;">
  <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" style="width:600px;max-width:600px;">
    <tr><td style="padding:0 0 12px 0;font:700 20px/1.3 Arial,Helvetica,sans-serif;color:#1b6b45;">NextLeipzig</td></tr>
    <tr><td class="card pad" style="background:#ffffff;border-radius:12px;padding:32px;font:16px/1.55 Arial,Helvetica,sans-serif;color:#17241d;">
      ${bodyHtml}
    </td></tr>
    <tr><td class="muted" style="padding:16px 8px;font:13px/1.5 Arial,Helvetica,sans-serif;color:#55675c;">
      ${footerHtml}${escapeHtml(translate(locale, "email.footer"))}
    </td></tr>
  </table>
</td></tr>
</table>
</body>
</html>`;
}

export function emailButton(href: string, label: string) {
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:20px 0;"><tr>
<td style="border-radius:8px;background:#1b6b45;"><a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 22px;font:700 16px Arial,Helvetica,sans-serif;color:#ffffff;text-decoration:none;border-radius:8px;">${escapeHtml(label)}</a></td>
</tr></table>`;
}
