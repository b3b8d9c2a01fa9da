import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrorSummary, Honeypot, Notice, TextField } from "~/components/form";
import { useT } from "~/components/i18n";
import { parseForm } from "~/lib/forms";
import { notFound } from "~/lib/http.server";
import type { MessageKey } from "~/lib/i18n";
import { requestLocale, requireUser } from "~/modules/accounts/session.server";
import { sendContactRequest } from "~/modules/contact/contact.server";
import { contactRequestSchema } from "~/modules/contact/schema";
import { findPostForViewer } from "~/modules/posts/posts.server";
import { findOwnProfile, findPublicProfile } from "~/modules/profiles/profiles.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await requestLocale(request);
  const person = await findPublicProfile(params.personId ?? "", locale);
  if (!person || person.profile.user_id === user.id) notFound();
  const postId = new URL(request.url).searchParams.get("post") ?? "";
  const post = postId ? await findPostForViewer(postId, { id: user.id, isAdmin: false }, locale) : undefined;
  return {
    name: person.profile.display_name,
    post: post && post.post.author_id === person.profile.user_id ? { id: post.post.id, title: post.post.title } : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(contactRequestSchema, await request.formData());
  if (!form.ok) return data({ errors: form.errors, values: form.values, failure: null }, { status: 400 });
  // A sender needs a profile: the recipient decides by who is asking.
  const own = await findOwnProfile(user.id, "de");
  if (!own) throw redirect("/profile");
  const result = await sendContactRequest({
    senderId: user.id,
    senderName: own.profile.display_name,
    recipientId: params.personId ?? "",
    postId: form.data.postId,
    message: form.data.message,
  });
  if (!result.ok) {
    return data(
      {
        errors: {} as Record<string, string>,
        values: { message: form.data.message },
        failure: `contact.error.${result.reason}` as MessageKey,
      },
      { status: result.reason === "not_found" ? 404 : 409 },
    );
  }
  return redirect(`/inbox/${result.requestId}?notice=sent`);
}

export default function ContactPerson() {
  const { name, post } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const values = actionData?.values as Record<string, string> | undefined;
  return (
    <div className="narrow">
      <h1>{t("contact.title", { name })}</h1>
      <p className="lead">{t("contact.lead", { name })}</p>
      {post ? <p>{t("contact.about", { title: post.title })}</p> : null}
      {actionData?.failure ? <Notice tone="error">{t(actionData.failure)}</Notice> : null}
      <Form method="post" className="stack" noValidate>
        <FormErrorSummary errors={actionData?.errors} />
        {post ? <input type="hidden" name="postId" value={post.id} /> : null}
        <TextField
          name="message"
          label={t("contact.message")}
          multiline
          rows={6}
          required
          maxLength={1000}
          defaultValue={values?.message}
          error={actionData?.errors?.message}
        />
        <Honeypot />
        <button type="submit" className="button">
          {t("contact.send")}
        </button>
      </Form>
    </div>
  );
}
