import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { notFound, redirectWithNotice } from "~/lib/http.server";
import { requireUser } from "~/modules/accounts/session.server";
import { blockPerson, unblockPerson } from "~/modules/contact/contact.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const personId = params.personId ?? "";
  const intent = (await request.formData()).get("intent");
  if (intent === "unblock") {
    if (!(await unblockPerson(user.id, personId))) notFound();
    return redirectWithNotice(`/people/${personId}`, "unblocked");
  }
  if (!(await blockPerson(user.id, personId))) notFound();
  return redirectWithNotice(`/people/${personId}`, "blocked");
}
