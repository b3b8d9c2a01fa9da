import { echoedValue } from "~/lib/forms";
import { Form } from "@remix-run/react";
import { FormErrorSummary, Honeypot, RadioGroup, SelectField, TextField } from "./form";
import { useT } from "./i18n";
import { SkillPicker } from "./skill-picker";
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

export function PostForm(props: {
  defaults: PostFormDefaults;
  values?: Record<string, string | string[]>;
  errors?: Record<string, string>;
  submitLabel: string;
}) {
  const t = useT();
  const { errors } = props;
  const value = (name: keyof PostFormDefaults) => (props.values ? echoedValue(props.values, name) : props.defaults[name]);
  return (
    <Form method="post" className="stack" noValidate>
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
      <TextField name="description" label={t("post.description")} required multiline rows={8} maxLength={5000} hint={t("post.descriptionHint")} defaultValue={value("description")} error={errors?.description} />
      <SkillPicker name="skills" label={t("post.skills")} required hint={t("post.skillsHint")} defaultValue={value("skills")} error={errors?.skills} />
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
      <TextField name="expiresOn" label={t("post.expiresAt")} type="date" hint={t("post.expiresHint")} defaultValue={value("expiresOn")} error={errors?.expiresOn} />
      <Honeypot />
      <button type="submit" className="button">
        {props.submitLabel}
      </button>
    </Form>
  );
}
