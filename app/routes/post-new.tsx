import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useT } from "~/components/i18n";
import { PostForm } from "~/components/post-form";
import { formValues, parseForm } from "~/lib/forms";
import { parseUploadForm } from "~/lib/uploads.server";
import { processUpload } from "~/modules/images/images.server";
import { parsePostPhotoForm } from "~/modules/images/photo-form.server";
import { DISTRICTS } from "~/lib/reference";
import { requireUser } from "~/modules/accounts/session.server";
import { matchPostNow } from "~/modules/matching/matching.server";
import { createPost } from "~/modules/posts/posts.server";
import { defaultExpiryDay, postSchema } from "~/modules/posts/schema";
import { findOwnProfile } from "~/modules/profiles/profiles.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // A post needs an author people can look at.
  const own = await findOwnProfile(user.id, "de");
  if (!own) throw redirect("/profile");
  const kind = new URL(request.url).searchParams.get("kind");
  // Fewer clicks to a first post: the place defaults to one's own Ortsteil and the exchange to "Verhandlungssache";
  // both stay visible and changeable.
  const district = own.profile.district && DISTRICTS.includes(own.profile.district) ? own.profile.district : undefined;
  return {
    defaults: {
      kind: kind === "need" ? "need" : kind === "offer" ? "offer" : undefined,
      location: district,
      exchangeMode: "open",
      expiresOn: defaultExpiryDay(),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!(await findOwnProfile(user.id, "de"))) throw redirect("/profile");
  const upload = await parseUploadForm(request, processUpload);
  const form = parseForm(postSchema(), upload.formData);
  const photos = parsePostPhotoForm(upload.formData, upload.files, []);
  if (!form.ok || !photos.ok) {
    const errors = { ...(form.ok ? {} : form.errors), ...(photos.ok ? {} : photos.errors) };
    return data({ errors, values: formValues(upload.formData) }, { status: 400 });
  }
  const postId = await createPost(user.id, form.data, photos.changes);
  // Its matches within this request when that fits the budget; otherwise the post page says they are coming.
  await matchPostNow(postId);
  return redirect(`/posts/${postId}?notice=saved`);
}

export default function NewPost() {
  const { defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="narrow">
      <h1>{t("post.newTitle")}</h1>
      <PostForm defaults={defaults} values={actionData?.values} errors={actionData?.errors} submitLabel={t("post.submitCreate")} />
    </div>
  );
}
