import type { LoaderFunctionArgs } from "@remix-run/node";
import { isFromThisMachine, notFound } from "~/lib/http.server";
import { DEV_MAIL_FRAME_POLICY, framedMailHtml } from "~/modules/mail/dev-mail-frame";
import { findDevMail, isDevMailboxActive } from "~/modules/mail/mail.server";
import { isId } from "~/lib/ids";

// The HTML part of one dev-mailbox email, framed by /dev/mail/:mailId (see dev-mail-frame.ts).
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!isDevMailboxActive() || !isFromThisMachine(request) || !isId(params.mailId ?? "")) notFound();
  const message = await findDevMail(params.mailId as string);
  if (!message) notFound();
  return new Response(framedMailHtml(message.html), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": DEV_MAIL_FRAME_POLICY,
      "X-Frame-Options": "SAMEORIGIN",
      "Cache-Control": "no-store",
    },
  });
}
