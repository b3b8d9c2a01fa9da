import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "~/components/i18n";
import { notFound } from "~/lib/http.server";
import { formatDate } from "~/lib/i18n";
import { isDevMailboxActive, listDevMailbox } from "~/modules/mail/mail.server";

// Exists only while the local outbox transport is active (no RESEND_API_KEY).
export async function loader(_: LoaderFunctionArgs) {
  if (!isDevMailboxActive()) notFound();
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
        <div className="table-scroll">
        <table className="table mail-list">
          <thead>
            <tr>
              <th scope="col">{t("devmail.subject")}</th>
              <th scope="col">{t("devmail.to")}</th>
              <th scope="col">{t("devmail.sentAt")}</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((message) => (
              <tr key={message.id}>
                <td>
                  <Link to={`/dev/mail/${message.id}`}>{message.subject}</Link>
                </td>
                <td className="mail-address">{message.to_address}</td>
                <td>{formatDate(locale, message.created_at, true)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </div>
  );
}
