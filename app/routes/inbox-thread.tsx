import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormErrorSummary, Notice, TextField } from "~/components/form";
import { useLocale, useT } from "~/components/i18n";
import { parseForm } from "~/lib/forms";
import { idParam, notFound, redirectWithNotice } from "~/lib/http.server";
import { formatDate, type MessageKey } from "~/lib/i18n";
import { requireUser } from "~/modules/accounts/session.server";
import { postThreadMessage, respondToContactRequest, threadFor } from "~/modules/contact/contact.server";
import { respondSchema, threadMessageSchema } from "~/modules/contact/schema";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const thread = await threadFor(params.requestId ?? "", user.id);
  if (!thread) notFound();
  const { request: contact, isRecipient, messages, addresses } = thread;
  return {
    id: contact.id,
    isRecipient,
    otherName: (isRecipient ? contact.sender_name : contact.recipient_name) ?? "?",
    otherId: isRecipient ? contact.sender_id : contact.recipient_id,
    postId: contact.post_id,
    postTitle: contact.post_title,
    message: contact.message,
    createdAt: contact.created_at,
    // A sender is told only that there was no reply, never that it was declined.
    status: isRecipient || contact.status === "accepted" ? contact.status : "noReply",
    myId: user.id,
    messages,
    addresses: addresses ?? null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const requestId = idParam(params.requestId);
  const formData = await request.formData();
  const name = user.display_name ?? "";
  if (formData.get("intent") === "message") {
    const form = parseForm(threadMessageSchema, formData);
    if (!form.ok) return data({ errors: form.errors }, { status: 400 });
    if (!(await postThreadMessage(requestId, user.id, name, form.data.body))) notFound();
    return redirectWithNotice(`/inbox/${requestId}`, "message");
  }
  const parsed = respondSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw redirect(`/inbox/${requestId}`);
  if (!(await respondToContactRequest(requestId, user.id, name, parsed.data.intent))) notFound();
  return redirectWithNotice(`/inbox/${requestId}`, parsed.data.intent === "accept" ? "accepted" : "declined");
}

export default function InboxThread() {
  const thread = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const notice = params.get("notice");
  const noticeKey: Record<string, MessageKey> = {
    sent: "contact.sent",
    accepted: "inbox.accepted",
    declined: "inbox.declined",
    message: "inbox.messageSent",
  };
  return (
    <div className="narrow">
      <p>
        <Link to="/inbox">← {t("inbox.title")}</Link>
      </p>
      {notice && noticeKey[notice] ? <Notice tone="success">{t(noticeKey[notice])}</Notice> : null}
      <h1>{thread.isRecipient ? t("inbox.from", { name: thread.otherName }) : t("inbox.to", { name: thread.otherName })}</h1>
      <p className="eyebrow">
        <span className="badge">{t(`inbox.status.${thread.status}` as MessageKey)}</span>
        <span>{formatDate(locale, thread.createdAt, true)}</span>
        {thread.postId ? <Link to={`/posts/${thread.postId}`}>{thread.postTitle}</Link> : null}
      </p>
      <blockquote className="card plain-text">{thread.message}</blockquote>
      {thread.isRecipient && thread.status === "pending" ? (
        <div className="button-row">
          <Form method="post">
            <button className="button" name="intent" value="accept">
              {t("inbox.accept")}
            </button>
          </Form>
          <Form method="post">
            <button className="button secondary" name="intent" value="decline">
              {t("inbox.decline")}
            </button>
          </Form>
        </div>
      ) : null}
      {thread.addresses ? (
        <section>
          <h2>{t("inbox.addresses")}</h2>
          <dl className="facts">
            <dt>{thread.isRecipient ? thread.otherName : t("profile.title")}</dt>
            <dd>
              <a href={`mailto:${thread.addresses.sender}`}>{thread.addresses.sender}</a>
            </dd>
            <dt>{thread.isRecipient ? t("profile.title") : thread.otherName}</dt>
            <dd>
              <a href={`mailto:${thread.addresses.recipient}`}>{thread.addresses.recipient}</a>
            </dd>
          </dl>
          <h2>{t("inbox.thread")}</h2>
          <ol className="card-list" style={{ listStyle: "none", padding: 0 }}>
            {thread.messages.map((message) => (
              <li key={message.id} className="card">
                <p className="meta">
                  {message.author_id === thread.myId ? t("profile.title") : thread.otherName} ·{" "}
                  {formatDate(locale, message.created_at, true)}
                </p>
                <p className="plain-text">{message.body}</p>
              </li>
            ))}
          </ol>
          <Form method="post" className="stack" noValidate>
            <FormErrorSummary errors={actionData?.errors} />
            <input type="hidden" name="intent" value="message" />
            <TextField name="body" label={t("inbox.reply")} multiline required maxLength={2000} error={actionData?.errors?.body} />
            <button type="submit" className="button">
              {t("inbox.sendReply")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
