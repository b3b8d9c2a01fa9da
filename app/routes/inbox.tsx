import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "~/components/i18n";
import { formatDate, type MessageKey } from "~/lib/i18n";
import { requireUser } from "~/modules/accounts/session.server";
import { inboxOf } from "~/modules/contact/contact.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { received, sent } = await inboxOf(user.id);
  // The sender never learns whether a request was declined or is still waiting.
  const sentView = sent.map((request) => ({ ...request, status: request.status === "accepted" ? "accepted" : "noReply" }));
  return { received, sent: sentView };
}

export default function Inbox() {
  const { received, sent } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div>
      <h1>{t("inbox.title")}</h1>
      <p>
        <Link to="/account">{t("account.link")}</Link>
      </p>
      {received.length === 0 && sent.length === 0 ? <p className="empty">{t("inbox.empty")}</p> : null}
      <RequestSection
        title={t("inbox.received")}
        requests={received.map((request) => ({
          ...request,
          heading: t("inbox.from", { name: request.sender_name ?? "?" }),
          message: request.message,
        }))}
      />
      <RequestSection
        title={t("inbox.sent")}
        requests={sent.map((request) => ({ ...request, heading: t("inbox.to", { name: request.recipient_name ?? "?" }), message: null }))}
      />
    </div>
  );
}

type RequestCard = {
  id: string;
  status: string;
  created_at: Date | string;
  post_title: string | null;
  heading: string;
  message: string | null;
};

/** One list of requests; received ones show the message, sent ones only their status. */
function RequestSection({ title, requests }: { title: string; requests: RequestCard[] }) {
  const t = useT();
  const locale = useLocale();
  if (requests.length === 0) return null;
  return (
    <section>
      <h2>{title}</h2>
      <div className="card-list">
        {requests.map((request) => (
          <article key={request.id} className="card">
            <p className="eyebrow">
              <span className="badge">{t(`inbox.status.${request.status}` as MessageKey)}</span>
              <span>{formatDate(locale, request.created_at, true)}</span>
            </p>
            <h3>
              <Link to={`/inbox/${request.id}`}>{request.heading}</Link>
            </h3>
            {request.post_title ? <p className="meta">{request.post_title}</p> : null}
            {request.message ? <p className="plain-text">{request.message}</p> : null}
          </article>
        ))}
      </div>
    </section>
  );
}
