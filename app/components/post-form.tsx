import { echoedValue } from "~/lib/forms";
import { Form } from "@remix-run/react";
import { FormErrorSummary, Honeypot, RadioGroup, SelectField, TextField } from "./form";
import { useT } from "./i18n";
import { PhotoFields } from "./photo-fields";
import { SkillPicker } from "./skill-picker";
import { UploadProgress, useUploadProgress } from "./upload-progress";
import type { ImageView } from "~/modules/images/types";
import type { MessageKey } from "~/lib/i18n";
import { CATEGORIES, EXCHANGE_MODES, LEIPZIG_DISTRICTS, POST_KINDS } from "~/lib/reference";

export type PostFormDefaults = {
  kind?: string;
  title?: string;
  description?: string;
  skills?: string;
  category?: string;
  location?: string;
  exchangeMode?: string;
  expiresOn?: string;
};

/** Labels for the error summary: "Neues Foto 2: …", "Bildbeschreibung: …". */
function photoErrorLabels(errors: Record<string, string> | undefined, t: ReturnType<typeof useT>) {
  const labels: Record<string, string> = {};
  for (const name of Object.keys(errors ?? {})) {
    const slot = /^newPhoto-(\d)$/.exec(name);
    if (slot) labels[name] = t("images.newPhoto", { slot: slot[1]! });
    else if (/^(newPhoto|photo)-\d+-alt$/.test(name)) labels[name] = t("images.alt");
    else if (/^photo-\d+-position$/.test(name)) labels[name] = t("images.position");
  }
  return labels;
}

export function PostForm(props: {
  defaults: PostFormDefaults;
  values?: Record<string, string | string[]>;
  errors?: Record<string, string>;
  submitLabel: string;
  photos?: ImageView[];
}) {
  const t = useT();
  const { errors } = props;
  const upload = useUploadProgress();
  const value = (name: keyof PostFormDefaults) => (props.values ? echoedValue(props.values, name) : props.defaults[name]);
  return (
    <Form method="post" encType="multipart/form-data" className="stack" noValidate onSubmit={upload.onSubmit}>
      <FormErrorSummary
        errors={errors}
        labels={{
          kind: t("post.kind"),
          title: t("post.title"),
          description: t("post.description"),
          skills: t("post.skills"),
          category: t("post.category"),
          location: t("post.location"),
          exchangeMode: t("post.exchangeMode"),
          expiresOn: t("post.expiresAt"),
          ...photoErrorLabels(errors, t),
        }}
      />
      <RadioGroup
        name="kind"
        label={t("post.kind")}
        required
        defaultValue={value("kind")}
        options={POST_KINDS.map((kind) => ({ value: kind, label: t(`kind.${kind}` as MessageKey) }))}
        error={errors?.kind}
      />
      <TextField name="title" label={t("post.title")} required maxLength={120} defaultValue={value("title")} error={errors?.title} />
      <TextField
        name="description"
        label={t("post.description")}
        required
        multiline
        rows={8}
        maxLength={5000}
        hint={t("post.descriptionHint")}
        defaultValue={value("description")}
        error={errors?.description}
      />
      <SkillPicker
        name="skills"
        label={t("post.skills")}
        required
        hint={t("post.skillsHint")}
        defaultValue={value("skills")}
        error={errors?.skills}
      />
      <SelectField
        name="category"
        label={t("post.category")}
        required
        placeholder="—"
        defaultValue={value("category")}
        options={CATEGORIES.map((category) => ({ value: category, label: t(`category.${category}` as MessageKey) }))}
        error={errors?.category}
      />
      <SelectField
        name="location"
        label={t("post.location")}
        required
        placeholder="—"
        defaultValue={value("location")}
        options={[{ value: "remote", label: t("post.locationRemote") }]}
        groups={Object.entries(LEIPZIG_DISTRICTS).map(([borough, districts]) => ({
          label: borough,
          options: districts.map((district) => ({ value: district, label: district })),
        }))}
        error={errors?.location}
      />
      <SelectField
        name="exchangeMode"
        label={t("post.exchangeMode")}
        required
        placeholder="—"
        defaultValue={value("exchangeMode")}
        options={EXCHANGE_MODES.map((mode) => ({ value: mode, label: t(`exchange.${mode}` as MessageKey) }))}
        error={errors?.exchangeMode}
      />
      <TextField
        name="expiresOn"
        label={t("post.expiresAt")}
        type="date"
        hint={t("post.expiresHint")}
        defaultValue={value("expiresOn")}
        error={errors?.expiresOn}
      />
      <PhotoFields existing={props.photos ?? []} values={props.values} errors={errors} />
      <Honeypot />
      <button type="submit" className="button" aria-disabled={upload.busy || undefined}>
        {props.submitLabel}
      </button>
      <UploadProgress state={upload.state} />
    </Form>
  );
}
