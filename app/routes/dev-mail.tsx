import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { Notice } from "~/components/form";
import { useLocale, useT } from "~/components/i18n";
import { isFromThisMachine, notFound } from "~/lib/http.server";
import { formatDate } from "~/lib/i18n";
import { isDevMailboxActive, listDevMailbox } from "~/modules/mail/mail.server";

const WAIT_REFRESH_SECONDS = 2;

// Exists only outside production, while the local outbox transport is active, and for this machine: it shows
// every sign-in link. `?to=address` (linked from "check your inbox") opens that address's newest mail, or waits
// for it to arrive.
export async function loader({ request }: LoaderFunctionArgs) {
  if (!isDevMailboxActive() || !isFromThisMachine(request)) notFound();
  const to = (new URL(request.url).searchParams.get("to") ?? "").trim().toLowerCase().slice(0, 254);
  const messages = await listDevMailbox(100);
  if (to) {
    const newest = messages.find((message) => message.to_address.toLowerCase() === to);
    if (newest) throw redirect(`/dev/mail/${newest.id}`);
  }
  return { messages, waitingFor: to || null };
}

/** While the awaited mail is on its way: reload the list (scripted), or refresh the page (without JavaScript). */
function WaitForMail({ to }: { to: string }) {
  const t = useT();
  useEffect(() => {
    const timer = setTimeout(() => window.location.reload(), WAIT_REFRESH_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <>
      <noscript>
        <meta httpEquiv="refresh" content={String(WAIT_REFRESH_SECONDS)} />
      </noscript>
      <Notice>{t("devmail.waiting", { to })}</Notice>
    </>
  );
}

export default function DevMail() {
  const { messages, waitingFor } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div>
      <h1>{t("devmail.title")}</h1>
      <p className="lead">{t("devmail.lead")}</p>
      {waitingFor ? <WaitForMail to={waitingFor} /> : null}
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
