import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useT } from "~/components/i18n";
import { PostForm } from "~/components/post-form";
import { parseForm } from "~/lib/forms";
import { forbidden, notFound } from "~/lib/http.server";
import { requestLocale, requireUser } from "~/modules/accounts/session.server";
import { findEditablePost, updatePost } from "~/modules/posts/posts.server";
import { postSchema } from "~/modules/posts/schema";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const post = await findEditablePost(params.postId ?? "", { id: user.id, isAdmin: user.is_admin }, await requestLocale(request));
  if (!post) notFound();
  return {
    postId: post.id,
    defaults: {
      kind: post.kind,
      title: post.title,
      description: post.description,
      skills: post.skills.map((skill) => skill.label).join(", "),
      category: post.category,
      location: post.is_remote && !post.district ? "remote" : (post.district ?? ""),
      exchangeMode: post.exchange_mode,
      expiresOn: new Date(post.expires_at).toISOString().slice(0, 10),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(postSchema(), await request.formData());
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  const changed = await updatePost(params.postId ?? "0", { id: user.id, isAdmin: user.is_admin }, form.data);
  if (!changed) forbidden();
  return redirect(`/posts/${params.postId}?notice=saved`);
}

export default function EditPost() {
  const { defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="narrow">
      <h1>{t("post.editTitle")}</h1>
      <PostForm defaults={defaults} values={actionData?.values} errors={actionData?.errors} submitLabel={t("post.submitEdit")} />
    </div>
  );
}
