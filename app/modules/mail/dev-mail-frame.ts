/**
 * The HTML part of a dev-mailbox email as its own framed document (/dev/mail/:id/html).
 *
 * Every other response forbids framing (`frame-ancestors 'none'`), so the email gets a policy of its own that lets
 * only this site frame it, runs no scripts, submits no forms and is sandboxed even when opened directly. Its links
 * open in the top window (`<base target="_top">`), so the sign-in button leaves the frame instead of loading a page
 * that refuses to be framed.
 */
export const DEV_MAIL_FRAME_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data: https:",
  "form-action 'none'",
  "frame-ancestors 'self'",
  "sandbox allow-top-navigation-by-user-activation allow-popups allow-popups-to-escape-sandbox",
].join("; ");

export function framedMailHtml(html: string): string {
  const base = '<base target="_top">';
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}${base}`);
  return `<!doctype html><html><head><meta charset="utf-8">${base}</head><body>${html}</body></html>`;
}
