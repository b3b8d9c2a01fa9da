import type { LoaderFunctionArgs } from "@remix-run/node";
import { postsFeedQuerySchema } from "~/modules/feeds/schema";
import { cachedResponse, jsonError, rateLimitResponse } from "~/modules/feeds/feed-http.server";
import { buildPostsFeed } from "~/modules/feeds/feeds.server";

/** GET /feeds/posts.json — the open posts as open data (see the README for the parameters). */
export async function loader({ request }: LoaderFunctionArgs) {
  const limited = await rateLimitResponse(request);
  if (limited) return limited;
  const parsed = postsFeedQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return jsonError(400, parsed.error.issues.map((issue) => issue.message).join("; "));
  const result = await buildPostsFeed(parsed.data);
  if (!result.ok) return jsonError(result.status, result.message);
  return cachedResponse(request, JSON.stringify(result.feed), "application/json; charset=utf-8", result.lastModified);
}
