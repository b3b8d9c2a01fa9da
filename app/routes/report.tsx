import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrorSummary, Honeypot, Notice, TextField } from "~/components/form";
import { useT } from "~/components/i18n";
import { parseForm } from "~/lib/forms";
import { requireUser } from "~/modules/accounts/session.server";
import { reportContent } from "~/modules/moderation/moderation.server";
import { reportSchema } from "~/modules/moderation/schema";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const url = new URL(request.url);
  const targetType = url.searchParams.get("type") === "person" ? "person" : "post";
  return { targetType, targetId: (url.searchParams.get("id") ?? "").slice(0, 18) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(reportSchema, await request.formData());
  if (!form.ok) return data({ errors: form.errors, values: form.values, outcome: null }, { status: 400 });
  const result = await reportContent(user.id, form.data.targetType, form.data.targetId, form.data.reason);
  const outcomes = { already_reported: "report.already", not_found: "report.notFound", own: "report.own" } as const;
  const outcome = result.ok ? ("report.thanks" as const) : outcomes[result.reason];
  return data(
    { errors: {}, values: {}, outcome },
    { status: result.ok ? 200 : result.reason === "not_found" ? 404 : result.reason === "own" ? 400 : 409 },
  );
}

export default function Report() {
  const { targetType, targetId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  if (actionData?.outcome) {
    return (
      <div className="narrow">
        <h1>{t("report.title")}</h1>
        <Notice tone={actionData.outcome === "report.thanks" ? "success" : "error"}>{t(actionData.outcome)}</Notice>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("report.title")}</h1>
      <p className="lead">{t("report.lead")}</p>
      <Form method="post" className="stack" noValidate>
        <FormErrorSummary errors={actionData?.errors} />
        <input type="hidden" name="targetType" value={targetType} />
        <input type="hidden" name="targetId" value={targetId} />
        <TextField name="reason" label={t("report.reason")} multiline required maxLength={1000} error={actionData?.errors?.reason} />
        <Honeypot />
        <button type="submit" className="button">
          {t("report.submit")}
        </button>
      </Form>
    </div>
  );
}
