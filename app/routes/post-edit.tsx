import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useT } from "~/components/i18n";
import { PostForm } from "~/components/post-form";
import { formValues, parseForm } from "~/lib/forms";
import { parseUploadForm } from "~/lib/uploads.server";
import { photosOfPost, processUpload } from "~/modules/images/images.server";
import { parsePostPhotoForm } from "~/modules/images/photo-form.server";
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
    photos: await photosOfPost(post.id),
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
  const actor = { id: user.id, isAdmin: user.is_admin };
  const post = await findEditablePost(params.postId ?? "", actor, "de");
  if (!post) forbidden();
  const upload = await parseUploadForm(request, processUpload);
  const form = parseForm(postSchema(), upload.formData);
  const photos = parsePostPhotoForm(upload.formData, upload.files, await photosOfPost(post.id));
  if (!form.ok || !photos.ok) {
    const errors = { ...(form.ok ? {} : form.errors), ...(photos.ok ? {} : photos.errors) };
    return data({ errors, values: formValues(upload.formData) }, { status: 400 });
  }
  const changed = await updatePost(post.id, actor, form.data, photos.changes);
  if (!changed) forbidden();
  return redirect(`/posts/${post.id}?notice=saved`);
}

export default function EditPost() {
  const { defaults, photos } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="narrow">
      <h1>{t("post.editTitle")}</h1>
      <PostForm
        defaults={defaults}
        values={actionData?.values}
        errors={actionData?.errors}
        submitLabel={t("post.submitEdit")}
        photos={photos}
      />
    </div>
  );
}
