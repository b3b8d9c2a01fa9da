import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/form";
import { useLocale, useT } from "~/components/i18n";
import { redirectWithNotice } from "~/lib/http.server";
import { formatDate } from "~/lib/i18n";
import { requireAdmin } from "~/modules/accounts/session.server";
import { moderate, openReportQueue } from "~/modules/moderation/moderation.server";
import { moderationActionSchema } from "~/modules/moderation/schema";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { queue: await openReportQueue() };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const parsed = moderationActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (parsed.success) await moderate(parsed.data.intent, parsed.data.targetType, parsed.data.targetId);
  return redirectWithNotice("/admin/reports", "done");
}

export default function AdminReports() {
  const { queue } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  return (
    <div>
      <p>
        <Link to="/admin">← {t("admin.title")}</Link>
      </p>
      <h1>{t("admin.reports")}</h1>
      {params.get("notice") === "done" ? <Notice tone="success">{t("admin.done")}</Notice> : null}
      {queue.length === 0 ? <p className="empty">{t("admin.reportsEmpty")}</p> : null}
      <div className="card-list">
        {queue.map((item) => (
          <article key={`${item.target_type}-${item.target_id}`} className="card">
            <p className="eyebrow">
              <span className="badge">{t("admin.reportCount", { count: item.reports })}</span>
              {item.hidden ? <span className="badge muted">{t("admin.hidden")}</span> : null}
              {item.banned ? <span className="badge muted">{t("admin.banned")}</span> : null}
              <span>{formatDate(locale, item.first_reported_at, true)}</span>
            </p>
            <h2>
              <Link to={item.target_type === "post" ? `/posts/${item.target_id}` : `/people/${item.target_id}`}>
                {item.title ?? `#${item.target_id}`}
              </Link>
            </h2>
            <ul>
              {item.reasons.map((reason, index) => (
                <li key={index} className="plain-text">
                  {reason}
                </li>
              ))}
            </ul>
            <Form method="post" className="button-row">
              <input type="hidden" name="targetType" value={item.target_type} />
              <input type="hidden" name="targetId" value={item.target_id} />
              {item.target_type === "post" ? (
                <button className="button secondary" name="intent" value="hide">
                  {t("admin.hide")}
                </button>
              ) : null}
              <button className="button secondary" name="intent" value="restore">
                {t("admin.restore")}
              </button>
              <button className="button danger" name="intent" value="ban">
                {t("admin.ban")}
              </button>
              <button className="button secondary" name="intent" value="dismiss">
                {t("admin.dismiss")}
              </button>
            </Form>
          </article>
        ))}
      </div>
    </div>
  );
}
