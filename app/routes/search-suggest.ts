import type { LoaderFunctionArgs } from "@remix-run/node";
import { currentUser, requestLocale } from "~/modules/accounts/session.server";
import { blockedEitherWay } from "~/modules/contact/contact.server";
import { searchSuggestions } from "~/modules/search/search.server";

/** Suggestions while typing in the search box: skills to filter by, then matching posts. */
export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await requestLocale(request);
  const viewer = await currentUser(request);
  const excludeUserIds = viewer ? await blockedEitherWay(viewer.id) : [];
  const suggestions = await searchSuggestions(new URL(request.url).searchParams.get("q") ?? "", locale, { excludeUserIds });
  return Response.json({ suggestions }, { headers: { "Cache-Control": "private, max-age=30" } });
}
