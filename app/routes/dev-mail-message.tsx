import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "~/components/i18n";
import { LinkifiedText } from "~/components/linkified-text";
import { isFromThisMachine, notFound } from "~/lib/http.server";
import { formatDate } from "~/lib/i18n";
import { findDevMail, isDevMailboxActive } from "~/modules/mail/mail.server";
import { isId } from "~/lib/ids";

export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!isDevMailboxActive() || !isFromThisMachine(request) || !isId(params.mailId ?? "")) notFound();
  const message = await findDevMail(params.mailId as string);
  if (!message) notFound();
  return { message };
}

export default function DevMailMessage() {
  const { message } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div>
      <p>
        <Link to="/dev/mail">← {t("devmail.title")}</Link>
      </p>
      <h1>{message.subject}</h1>
      <dl className="facts">
        <dt>{t("devmail.to")}</dt>
        <dd>{message.to_address}</dd>
        <dt>{t("devmail.sentAt")}</dt>
        <dd>{formatDate(locale, message.created_at, true)}</dd>
      </dl>
      {/* The HTML part is its own document with a policy that allows only this site to frame it; sandboxed (no
          scripts, no same-origin access), and its links open in this tab (dev-mail-frame.ts). */}
      <iframe
        title={t("devmail.htmlVersion", { subject: message.subject })}
        className="mail-frame"
        sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
        src={`/dev/mail/${message.id}/html`}
      />
      <h2>{t("devmail.plainText")}</h2>
      <LinkifiedText className="mail-text" text={message.text} sameTab />
      {Object.keys(message.headers).length ? (
        <>
          <h2>{t("devmail.headers")}</h2>
          <pre className="mail-text">
            {Object.entries(message.headers)
              .map(([name, value]) => `${name}: ${value}`)
              .join("\n")}
          </pre>
        </>
      ) : null}
    </div>
  );
}
