import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/form";
import { useT } from "~/components/i18n";
import { safeRedirectTarget } from "~/lib/http.server";
import type { Locale } from "~/lib/i18n";
import { clearLoginBrowserCookie, commitSessionCookie, readLoginBrowserKey, requestLocale } from "~/modules/accounts/session.server";
import { signInWithToken } from "~/modules/accounts/accounts.server";
import { verifyLinkSchema } from "~/modules/accounts/schema";
import { findOwnProfile } from "~/modules/profiles/profiles.server";

/** Where a fresh session goes: a newcomer first writes their profile, then continues where they were headed. */
async function signedIn(result: { sessionId: string; userId: string }, redirectTo: string | undefined, locale: Locale) {
  const hasProfile = Boolean(await findOwnProfile(result.userId, locale));
  const next = safeRedirectTarget(redirectTo, "");
  const target = hasProfile ? next || "/" : next ? `/profile?next=${encodeURIComponent(next)}` : "/profile";
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSessionCookie(result.sessionId));
  headers.append("Set-Cookie", await clearLoginBrowserCookie());
  return redirect(target, { headers });
}

// A GET signs in only in the browser that asked for the link (it carries that request's key in a cookie). Anywhere
// else — another device, or a mail scanner that opens links — the page only shows a button, so a GET cannot use up
// the token.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const redirectTo = url.searchParams.get("redirectTo") ?? "";
  const browserKey = await readLoginBrowserKey(request);
  if (token && browserKey) {
    const locale = await requestLocale(request);
    const result = await signInWithToken(token, locale, browserKey);
    if (result.ok) throw await signedIn(result, redirectTo, locale);
  }
  return { token, redirectTo };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = verifyLinkSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "invalid" as const }, { status: 400 });
  const locale = await requestLocale(request);
  const result = await signInWithToken(parsed.data.token, locale);
  if (!result.ok) return data({ error: result.reason }, { status: result.reason === "banned" ? 403 : 400 });
  return signedIn(result, parsed.data.redirectTo, locale);
}

export default function VerifyLogin() {
  const { token, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  if (actionData?.error) {
    return (
      <div className="narrow">
        <h1>{t("login.invalidLinkTitle")}</h1>
        <Notice tone="error">{actionData.error === "banned" ? t("login.banned") : t("login.invalidLink")}</Notice>
        {actionData.error !== "banned" ? (
          <p>
            <Link to="/login" className="button">
              {t("login.submit")}
            </Link>
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("login.verifyTitle")}</h1>
      <p className="lead">{t("login.verifyLead")}</p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {/* The page's one action: focused, so Enter signs in. */}
        {/* eslint-disable-next-line jsx-a11y/no-autofocus */}
        <button type="submit" className="button" autoFocus>
          {t("login.verifySubmit")}
        </button>
      </Form>
    </div>
  );
}
