import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie, readSessionId } from "~/modules/accounts/session.server";
import { signOut } from "~/modules/accounts/accounts.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const sessionId = await readSessionId(request);
  if (sessionId) await signOut(sessionId);
  return redirect("/login?notice=signed-out", { headers: { "Set-Cookie": await clearSessionCookie() } });
}
