import type { LoaderFunctionArgs } from "@remix-run/node";
import { isLocale } from "~/lib/i18n";
import { currentUser, requestLocale } from "~/modules/accounts/session.server";
import { suggestSkills } from "~/modules/skills/skills.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lang = url.searchParams.get("lang");
  const locale = isLocale(lang) ? lang : await requestLocale(request);
  const user = await currentUser(request);
  const suggestions = await suggestSkills(url.searchParams.get("q") ?? "", locale, 8, user?.id ?? null);
  return Response.json({ suggestions }, { headers: { "Cache-Control": "private, max-age=60" } });
}
