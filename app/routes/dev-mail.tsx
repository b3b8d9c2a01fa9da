import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "~/components/i18n";
import { isFromThisMachine, notFound } from "~/lib/http.server";
import { formatDate } from "~/lib/i18n";
import { isDevMailboxActive, listDevMailbox } from "~/modules/mail/mail.server";

// Exists only outside production, while the local outbox transport is active, and for this machine: it shows
// every sign-in link.
export async function loader({ request }: LoaderFunctionArgs) {
  if (!isDevMailboxActive() || !isFromThisMachine(request)) notFound();
  return { messages: await listDevMailbox(100) };
}

export default function DevMail() {
  const { messages } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div>
      <h1>{t("devmail.title")}</h1>
      <p className="lead">{t("devmail.lead")}</p>
      {messages.length === 0 ? (
        <p className="empty">{t("devmail.empty")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("devmail.sentAt")}</th>
              <th scope="col">{t("devmail.to")}</th>
              <th scope="col">{t("devmail.subject")}</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((message) => (
              <tr key={message.id}>
                <td>{formatDate(locale, message.created_at, true)}</td>
                <td>{message.to_address}</td>
                <td>
                  <Link to={`/dev/mail/${message.id}`}>{message.subject}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
