import type { LoaderFunctionArgs } from "@remix-run/node";
import { currentUser } from "~/modules/accounts/session.server";
import { findImageBytes } from "~/modules/images/images.server";

const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * /images/<hash>.webp: the URL names the bytes (a hash of them), so a response never changes and is cached for a
 * year (X-Content-Type-Options: nosniff comes with every response). An image of a hidden post or a banned person is shown only to its owner and admins, never cached.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const match = /^([A-Za-z0-9_-]{32})\.webp$/.exec(params.file ?? "");
  if (!match) return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain" } });
  const hash = match[1]!;
  const etag = `"${hash}"`;
  const found = await findImageBytes(hash);
  if (found.status === "missing") return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain" } });
  let cacheControl = IMMUTABLE;
  if (found.restricted) {
    const user = await currentUser(request);
    if (!user || (!user.is_admin && user.id !== found.ownerId))
      return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain" } });
    cacheControl = "private, no-store";
  }
  const headers = { ETag: etag, "Cache-Control": cacheControl, "Content-Type": "image/webp" };
  const sent = request.headers.get("if-none-match");
  if (sent && sent.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
  return new Response(found.bytes as Uint8Array<ArrayBuffer>, { headers: { ...headers, "Content-Length": String(found.bytes.length) } });
}
