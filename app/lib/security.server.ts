import crypto from "node:crypto";

export const BASE_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  // Documents replace this with a policy that allows their nonce'd scripts (entry.server.tsx).
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
};

const UNSUBSCRIBE_PATH = /^\/unsubscribe\/[^/]+\/?$/;
/** Paths that other sites legitimately POST to: provider webhooks and one-click unsubscribe (RFC 8058). */
const CROSS_ORIGIN_ALLOWED = [/^\/webhooks\//, UNSUBSCRIBE_PATH];

/** A POST to an unsubscribe link: mail providers send it from their servers, with their own Origin. */
export function isOneClickUnsubscribe(method: string, path: string) {
  return method === "POST" && UNSUBSCRIBE_PATH.test(path);
}

/**
 * A state change whose Origin names another site is refused. Browsers send Origin on every cross-site POST,
 * so together with SameSite=Lax cookies this closes cross-site request forgery.
 */
export function isCrossOriginStateChange(method: string, path: string, origin: string | undefined, host: string | undefined) {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  if (CROSS_ORIGIN_ALLOWED.some((pattern) => pattern.test(path))) return false;
  if (!origin) return false;
  if (origin === "null") return true;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

export function createNonce() {
  return crypto.randomBytes(16).toString("base64");
}

export function documentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    // blob: the photo form previews a chosen file from a URL the page made itself (URL.createObjectURL)
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // `npm run dev` only: the browser talks to Vite's hot-reload socket on its own port.
    process.env.NL_VITE_DEV === "1" ? "connect-src 'self' ws://localhost:24678 ws://127.0.0.1:24678" : "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
