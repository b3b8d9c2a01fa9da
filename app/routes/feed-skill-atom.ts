import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { cachedResponse, rateLimitResponse } from "~/modules/feeds/feed-http.server";
import { buildSkillAtomFeed } from "~/modules/feeds/feeds.server";

const ATOM_SUFFIX = ".atom";

function notFound() {
  return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** GET /feeds/skills/<slug>.atom[?lang=en] — one skill's open posts as Atom 1.0 (German unless lang=en). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const limited = await rateLimitResponse(request);
  if (limited) return limited;
  const file = params.file ?? "";
  if (!file.endsWith(ATOM_SUFFIX) || file.length === ATOM_SUFFIX.length || file.length > 220) return notFound();
  const slug = file.slice(0, -ATOM_SUFFIX.length);
  const locale = new URL(request.url).searchParams.get("lang") === "en" ? "en" : "de";
  const result = await buildSkillAtomFeed(slug, locale);
  if (result.kind === "not_found") return notFound();
  if (result.kind === "moved") return redirect(`/feeds/skills/${result.slug}.atom${locale === "en" ? "?lang=en" : ""}`, 301);
  return cachedResponse(request, result.xml, "application/atom+xml; charset=utf-8", result.lastModified);
}
