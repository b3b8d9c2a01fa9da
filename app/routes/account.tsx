import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { Notice } from "~/components/form";
import { useT } from "~/components/i18n";
import { clearSessionCookie, requireUser } from "~/modules/accounts/session.server";
import { deleteAccount } from "~/modules/privacy/privacy.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("confirm") !== "on") return data({ error: "account.confirmRequired" as const }, { status: 400 });
  await deleteAccount(user.id);
  return redirect("/?notice=account-deleted", { headers: { "Set-Cookie": await clearSessionCookie() } });
}

export default function Account() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>{t("account.title")}</h1>
      <p className="lead">{t("account.lead")}</p>
      <p>
        <a className="button secondary" href="/account/export.json" download>
          {t("account.export")}
        </a>
      </p>
      <section>
        <h2>{t("account.deleteTitle")}</h2>
        <p>{t("account.deleteLead")}</p>
        {actionData?.error ? <Notice tone="error">{t(actionData.error)}</Notice> : null}
        <Form method="post" className="stack">
          <label className="choice">
            <input type="checkbox" name="confirm" required /> {t("account.confirm")}
          </label>
          <button type="submit" className="button danger">
            {t("account.delete")}
          </button>
        </Form>
      </section>
    </div>
  );
}
