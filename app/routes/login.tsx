import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { FormErrorSummary, Honeypot, Notice, TextField } from "~/components/form";
import { useT } from "~/components/i18n";
import { fieldMessage, parseForm } from "~/lib/forms";
import { clientAddress, safeRedirectTarget } from "~/lib/http.server";
import { commitLoginBrowserCookie, currentUser, requestLocale } from "~/modules/accounts/session.server";
import { requestLoginLink } from "~/modules/accounts/accounts.server";
import { requestLinkSchema } from "~/modules/accounts/schema";

export const meta: MetaFunction = () => [{ title: "Anmelden · NextLeipzig" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await currentUser(request)) throw redirect("/profile");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = parseForm(requestLinkSchema, await request.formData());
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  const redirectTo = safeRedirectTarget(form.data.redirectTo, "");
  const result = await requestLoginLink({
    email: form.data.email,
    clientIp: clientAddress(request),
    locale: await requestLocale(request),
    redirectTo: redirectTo || undefined,
  });
  if (!result.ok) {
    return data({ errors: { email: fieldMessage("login.rateLimited") }, values: { email: form.data.email } }, { status: 429 });
  }
  return redirect(`/login/sent?email=${encodeURIComponent(form.data.email)}`, {
    headers: { "Set-Cookie": await commitLoginBrowserCookie(result.browserKey) },
  });
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const values = actionData?.values as Record<string, string> | undefined;
  return (
    <div className="narrow">
      <h1>{t("login.title")}</h1>
      {params.get("notice") === "signed-out" ? <Notice tone="success">{t("login.signedOut")}</Notice> : null}
      <p className="lead">{t("login.lead")}</p>
      <Form method="post" className="stack" noValidate>
        <FormErrorSummary errors={actionData?.errors} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField
          name="email"
          label={t("login.email")}
          type="email"
          inputMode="email"
          autoComplete="email"
          required
          maxLength={254}
          defaultValue={values?.email}
          error={actionData?.errors?.email}
        />
        <Honeypot />
        <button type="submit" className="button">
          {t("login.submit")}
        </button>
      </Form>
    </div>
  );
}
