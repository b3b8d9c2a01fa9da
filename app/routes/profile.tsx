import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Checkbox, CheckboxGroup, FormErrorSummary, Notice, RadioGroup, SelectField, TextField } from "~/components/form";
import { useT } from "~/components/i18n";
import { FileInputWithPreview } from "~/components/photo-fields";
import { SkillPicker } from "~/components/skill-picker";
import { UploadProgress, useUploadProgress } from "~/components/upload-progress";
import { echoedValue, fieldMessage, formValues, parseForm, translateFieldMessage } from "~/lib/forms";
import { parseUploadForm } from "~/lib/uploads.server";
import { portraitOf, processUpload } from "~/modules/images/images.server";
import { PersonPicture } from "~/components/person-picture";
import { redirectWithNotice, safeRedirectTarget } from "~/lib/http.server";
import type { MessageKey } from "~/lib/i18n";
import { DIGEST_FREQUENCIES, ELSEWHERE, LANGUAGES_SPOKEN, LEIPZIG_DISTRICTS, ROLES } from "~/lib/reference";
import { requestLocale, requireUser } from "~/modules/accounts/session.server";
import { findOwnProfile, saveProfile } from "~/modules/profiles/profiles.server";
import { profileSchema } from "~/modules/profiles/schema";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const own = await findOwnProfile(user.id, await requestLocale(request));
  return { own, userId: user.id, portrait: await portraitOf(user.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const upload = await parseUploadForm(request, processUpload);
  const form = parseForm(profileSchema, upload.formData);
  const errors = form.ok ? {} : { ...form.errors };
  const file = upload.files.get("portrait");
  for (const name of upload.files.keys()) if (name !== "portrait") errors[name] = fieldMessage("field.invalidChoice");
  if (file && !file.ok) errors.portrait = fieldMessage("images.refused.tooLarge");
  else if (file?.ok && !file.value.ok) errors.portrait = fieldMessage(`images.refused.${file.value.reason}`);
  if (!form.ok || Object.keys(errors).length > 0) return data({ errors, values: formValues(upload.formData) }, { status: 400 });
  const remove = upload.formData.get("removePortrait") === "on";
  const portrait = file?.ok && file.value.ok ? { image: file.value.image, alt: form.data.displayName } : remove ? null : undefined;
  await saveProfile(user.id, form.data, portrait);
  // A newcomer sent here on their way somewhere (signed in from a "write a post" link) continues there.
  const next = safeRedirectTarget(upload.formData.get("next"), "");
  if (next && next !== "/profile") return redirect(next);
  return redirectWithNotice("/profile", "saved");
}

export default function ProfilePage() {
  const { own, userId, portrait } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const upload = useUploadProgress();
  const values = actionData?.values as Record<string, string | string[]> | undefined;
  const errors = actionData?.errors;
  const value = (name: string, fallback: string | undefined) => (values ? echoedValue(values, name) : fallback);
  const profile = own?.profile;
  return (
    <div className="narrow">
      <h1>{t("profile.title")}</h1>
      {params.get("notice") === "saved" ? (
        <Notice tone="success">
          {t("profile.saved")}{" "}
          <span className="button-row notice-actions">
            <Link className="button small" to="/posts/new?kind=offer">
              {t("profile.nextOffer")}
            </Link>
            <Link className="button small secondary" to="/posts/new?kind=need">
              {t("profile.nextNeed")}
            </Link>
          </span>
        </Notice>
      ) : null}
      {!profile ? <Notice>{t("profile.createFirst")}</Notice> : null}
      <p className="lead">{t("profile.lead")}</p>
      {profile ? (
        <p>
          <Link to={`/people/${userId}`}>{t("profile.publicLink")}</Link> · <Link to="/account">{t("account.link")}</Link>
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stack" noValidate onSubmit={upload.onSubmit}>
        {params.get("next") ? <input type="hidden" name="next" value={params.get("next") ?? ""} /> : null}
        <FormErrorSummary
          errors={errors}
          labels={{
            displayName: t("profile.displayName"),
            role: t("profile.role"),
            bio: t("profile.bio"),
            district: t("profile.district"),
            languages: t("profile.languages"),
            website: t("profile.website"),
            skillsOffered: t("profile.skillsOffered"),
            skillsSought: t("profile.skillsSought"),
            portrait: t("images.portrait"),
          }}
        />
        <TextField
          name="displayName"
          label={t("profile.displayName")}
          required
          maxLength={60}
          defaultValue={value("displayName", profile?.display_name)}
          error={errors?.displayName}
          autoComplete="name"
        />
        <RadioGroup
          name="role"
          label={t("profile.role")}
          required
          defaultValue={value("role", profile?.role)}
          options={ROLES.map((role) => ({ value: role, label: t(`role.${role}` as MessageKey) }))}
          error={errors?.role}
        />
        <TextField
          name="bio"
          label={t("profile.bio")}
          multiline
          maxLength={1000}
          hint={t("profile.bioHint")}
          defaultValue={value("bio", profile?.bio)}
          error={errors?.bio}
        />
        <SelectField
          name="district"
          label={t("profile.district")}
          required
          placeholder="—"
          defaultValue={value("district", profile?.district)}
          options={[]}
          groups={[
            ...Object.entries(LEIPZIG_DISTRICTS).map(([borough, districts]) => ({
              label: borough,
              options: districts.map((district) => ({ value: district, label: district })),
            })),
            { label: "—", options: [{ value: ELSEWHERE, label: t("common.elsewhere") }] },
          ]}
          error={errors?.district}
        />
        <div className={`field portrait-field${errors?.portrait ? " has-error" : ""}`}>
          <label htmlFor="field-portrait">
            {t("images.portrait")} <span className="optional">({t("common.optional")})</span>
          </label>
          <div className="person-heading">
            <PersonPicture portrait={portrait} name={profile?.display_name ?? "?"} seed={String(userId)} size={64} />
            <FileInputWithPreview name="portrait" invalid={Boolean(errors?.portrait)} describedBy="field-portrait-hint" />
          </div>
          <p className="hint" id="field-portrait-hint">
            {t("images.portraitHint")}
          </p>
          {errors?.portrait ? (
            <p className="field-error" id="field-portrait-error">
              {translateFieldMessage(t, errors.portrait)}
            </p>
          ) : null}
          {portrait ? <Checkbox name="removePortrait" label={t("images.removePortrait")} /> : null}
        </div>
        <Checkbox name="remoteOk" label={t("profile.remoteOk")} defaultChecked={values ? values.remoteOk === "on" : profile?.remote_ok} />
        <CheckboxGroup
          name="languages"
          label={t("profile.languages")}
          defaultValue={values ? ([] as string[]).concat(values.languages ?? []) : (profile?.languages ?? ["de"])}
          options={LANGUAGES_SPOKEN.map((code) => ({ value: code, label: t(`language.${code}` as MessageKey) }))}
          error={errors?.languages}
        />
        <TextField
          name="website"
          label={t("profile.website")}
          type="url"
          inputMode="url"
          maxLength={200}
          defaultValue={value("website", profile?.website ?? "")}
          error={errors?.website}
        />
        <SkillPicker
          name="skillsOffered"
          label={t("profile.skillsOffered")}
          hint={t("profile.skillsHint")}
          defaultValue={value("skillsOffered", own?.skills.offered.map((skill) => skill.label).join(", "))}
          error={errors?.skillsOffered}
        />
        <SkillPicker
          name="skillsSought"
          label={t("profile.skillsSought")}
          hint={t("profile.skillsHint")}
          defaultValue={value("skillsSought", own?.skills.sought.map((skill) => skill.label).join(", "))}
          error={errors?.skillsSought}
        />
        <RadioGroup
          name="digestFrequency"
          label={t("profile.digest")}
          defaultValue={value("digestFrequency", profile?.digest_frequency ?? "weekly")}
          options={DIGEST_FREQUENCIES.map((frequency) => ({ value: frequency, label: t(`digest.${frequency}` as MessageKey) }))}
          error={errors?.digestFrequency}
        />
        <button type="submit" className="button" aria-disabled={upload.busy || undefined}>
          {t("common.save")}
        </button>
        <UploadProgress state={upload.state} />
      </Form>
    </div>
  );
}
