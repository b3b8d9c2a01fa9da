import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLocale } from "~/lib/i18n";
import { safeRedirectTarget } from "~/lib/http.server";
import { commitLocaleCookie, currentUser } from "~/modules/accounts/session.server";
import { setUserLocale } from "~/modules/accounts/accounts.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = form.get("lang");
  const target = safeRedirectTarget(form.get("redirectTo"));
  if (!isLocale(lang)) return redirect(target);
  const user = await currentUser(request);
  if (user) await setUserLocale(user.id, lang);
  return redirect(target, { headers: { "Set-Cookie": await commitLocaleCookie(lang) } });
}
