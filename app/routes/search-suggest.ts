import type { LoaderFunctionArgs } from "@remix-run/node";
import { requestLocale } from "~/lib/session.server";
import { searchSuggestions } from "~/modules/search/search.server";

/** Suggestions while typing in the search box: skills to filter by, then matching posts. */
export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await requestLocale(request);
  const suggestions = await searchSuggestions(new URL(request.url).searchParams.get("q") ?? "", locale);
  return Response.json({ suggestions }, { headers: { "Cache-Control": "private, max-age=30" } });
}
