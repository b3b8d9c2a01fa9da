import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/form";
import { useT } from "~/components/i18n";
import { isDevMailboxActive } from "~/modules/mail/mail.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const email = (new URL(request.url).searchParams.get("email") ?? "").slice(0, 254);
  return { email, devMailbox: isDevMailboxActive() };
}

export default function LoginSent() {
  const { email, devMailbox } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="narrow">
      <h1>{t("login.sentTitle")}</h1>
      <p className="lead">{t("login.sentLead", { email })}</p>
      {devMailbox ? (
        <Notice>
          {t("login.devMailHint")}{" "}
          <Link to={email ? `/dev/mail?to=${encodeURIComponent(email)}` : "/dev/mail"}>{t("login.devMailLink")}</Link>
        </Notice>
      ) : null}
    </div>
  );
}
