import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/accounts/session.server";
import { exportPersonalData } from "~/modules/privacy/privacy.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const body = JSON.stringify(await exportPersonalData(user.id), null, 2);
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="nextleipzig-meine-daten.json"`,
      "Cache-Control": "no-store",
    },
  });
}
