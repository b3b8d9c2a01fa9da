import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/form";
import { useLocale, useT } from "~/components/i18n";
import { redirectWithNotice } from "~/lib/http.server";
import { formatDate } from "~/lib/i18n";
import { requireAdmin } from "~/modules/accounts/session.server";
import { failedDigestList, findUserIdForPreview, previewDigest, recentDigestRuns, runDigests } from "~/modules/digest/digest.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const url = new URL(request.url);
  const person = (url.searchParams.get("person") ?? "").slice(0, 254);
  const dateText = url.searchParams.get("date") ?? "";
  let preview: { found: boolean; subject?: string; html?: string; text?: string; matchCount?: number } | null = null;
  if (person) {
    const at =
      /^\d{4}-\d{2}-\d{2}$/.test(dateText) && !Number.isNaN(Date.parse(`${dateText}T08:00:00Z`))
        ? new Date(`${dateText}T08:00:00Z`)
        : new Date();
    const userId = await findUserIdForPreview(person);
    const result = userId ? await previewDigest(userId, at) : undefined;
    preview = result ? { found: true, ...(result.content ?? {}) } : { found: false };
  }
  const [runs, failures] = await Promise.all([recentDigestRuns(20), failedDigestList(50)]);
  // The newest finished run says whether sending is held up by the provider's quota until midnight UTC.
  const quotaStopped = runs.find((run) => run.finished_at !== null)?.stop_reason === "quota";
  return { runs, failures, quotaStopped, preview, person, date: dateText };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const result = await runDigests({ trigger: "admin" });
  if (!result.ran) return redirectWithNotice("/admin/digests", "locked");
  if (result.quotaUsedUp) return redirectWithNotice(`/admin/digests?sent=${result.sent}`, "quota");
  return redirectWithNotice(`/admin/digests?sent=${result.sent}&skipped=${result.skipped}&failed=${result.failed}`, "done");
}

export default function AdminDigests() {
  const { runs, failures, quotaStopped, preview, person, date } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  return (
    <div>
      <p>
        <Link to="/admin">← {t("admin.title")}</Link>
      </p>
      <h1>{t("admin.digests")}</h1>
      {params.get("notice") === "done" ? (
        <Notice tone="success">
          {t("admin.digestRunDone", {
            sent: params.get("sent") ?? 0,
            skipped: params.get("skipped") ?? 0,
            failed: params.get("failed") ?? 0,
          })}
        </Notice>
      ) : null}
      {params.get("notice") === "locked" ? <Notice tone="error">{t("admin.digestLocked")}</Notice> : null}
      {params.get("notice") === "quota" ? (
        <Notice tone="error">{t("admin.digestRunQuota", { sent: params.get("sent") ?? 0 })}</Notice>
      ) : null}
      {quotaStopped && params.get("notice") !== "quota" ? <Notice tone="error">{t("admin.digestQuotaStopped")}</Notice> : null}
      <Form method="post">
        <button className="button">{t("admin.digestRunNow")}</button>
      </Form>
      <section>
        <h2>{t("admin.digestRuns")}</h2>
        {runs.length === 0 ? (
          <p className="empty">{t("admin.digestRunsEmpty")}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("admin.digestStarted")}</th>
                <th scope="col">{t("admin.digestFinished")}</th>
                <th scope="col">{t("admin.digestTrigger")}</th>
                <th scope="col">{t("admin.digestPlanned")}</th>
                <th scope="col">{t("admin.digestSent")}</th>
                <th scope="col">{t("admin.digestSkipped")}</th>
                <th scope="col">{t("admin.digestFailed")}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>{formatDate(locale, run.started_at, true)}</td>
                  <td>{run.finished_at ? formatDate(locale, run.finished_at, true) : t("admin.digestNotFinished")}</td>
                  <td>
                    {run.trigger} ({run.frequencies.join(", ")})
                  </td>
                  <td>{run.planned}</td>
                  <td>{run.sent}</td>
                  <td>{run.skipped}</td>
                  <td>
                    {run.failed}
                    {run.error ? <span className="field-error"> {run.error}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {failures.length ? (
        <section>
          <h2>{t("admin.digestFailures")}</h2>
          <table className="table">
            <tbody>
              {failures.map((failure) => (
                <tr key={failure.id}>
                  <td>#{failure.id}</td>
                  <td>{failure.period}</td>
                  <td>{failure.status}</td>
                  <td>{failure.attempts}×</td>
                  <td>{failure.last_error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section>
        <h2>{t("admin.digestPreview")}</h2>
        <Form method="get" className="inline-form">
          <label className="visually-hidden" htmlFor="preview-person">
            {t("admin.digestPreviewPerson")}
          </label>
          <input id="preview-person" name="person" placeholder={t("admin.digestPreviewPerson")} defaultValue={person} required />
          <label className="visually-hidden" htmlFor="preview-date">
            {t("admin.digestPreviewDate")}
          </label>
          <input id="preview-date" name="date" type="date" defaultValue={date} />
          <button className="button small">{t("admin.digestPreviewShow")}</button>
        </Form>
        {preview && !preview.found ? <Notice tone="error">{t("admin.digestPreviewNotFound")}</Notice> : null}
        {preview?.found && !preview.subject ? <Notice>{t("admin.digestPreviewNothing")}</Notice> : null}
        {preview?.subject ? (
          <>
            <h3>{preview.subject}</h3>
            <iframe title={preview.subject} className="mail-frame" sandbox="" srcDoc={preview.html} />
            <pre className="mail-text">{preview.text}</pre>
          </>
        ) : null}
      </section>
    </div>
  );
}
