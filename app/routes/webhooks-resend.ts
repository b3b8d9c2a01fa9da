import type { ActionFunctionArgs } from "@remix-run/node";
import { handleResendWebhook } from "~/modules/mail/provider-events.server";

export async function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const rawBody = (await request.text()).slice(0, 1_000_000);
  const outcome = await handleResendWebhook(rawBody, request.headers);
  return new Response(outcome.body, { status: outcome.status, headers: { "Content-Type": "text/plain" } });
}
