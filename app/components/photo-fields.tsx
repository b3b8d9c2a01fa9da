import { useEffect, useState } from "react";
import { translateFieldMessage } from "~/lib/forms";
import { MAX_PHOTOS_PER_POST, type ImageView } from "~/modules/images/types";
import { fieldId } from "./form";
import { useT } from "./i18n";
import { Picture } from "./picture";

const ACCEPT = "image/jpeg,image/png,image/webp,image/avif,image/heic,image/heif";

function FieldError({ name, error }: { name: string; error?: string }) {
  const t = useT();
  if (!error) return null;
  return (
    <p className="field-error" id={`${fieldId(name)}-error`}>
      {translateFieldMessage(t, error)}
    </p>
  );
}

/** With JavaScript: a preview of the chosen file, before anything is uploaded. Without it: the plain file input. */
export function FileInputWithPreview({ name, invalid, describedBy }: { name: string; invalid: boolean; describedBy?: string }) {
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);
  return (
    <>
      <input
        id={fieldId(name)}
        name={name}
        type="file"
        accept={ACCEPT}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          setPreview(file && file.type.startsWith("image/") && file.type !== "image/svg+xml" ? URL.createObjectURL(file) : null);
        }}
      />
      {preview ? <img src={preview} alt="" className="photo-preview" /> : null}
    </>
  );
}

/**
 * The photo part of the post form, without JavaScript: each photo already stored with its description, its place
 * (1 = cover) and a remove box; each free slot with a file and its description. Field names match parsePostPhotoForm.
 */
export function PhotoFields({
  existing,
  values,
  errors,
}: {
  existing: ImageView[];
  values?: Record<string, string | string[]>;
  errors?: Record<string, string>;
}) {
  const t = useT();
  const value = (name: string, fallback: string) => {
    const submitted = values?.[name];
    return typeof submitted === "string" ? submitted : fallback;
  };
  const freeSlots = Math.max(0, MAX_PHOTOS_PER_POST - existing.length);
  const anyFileError = Object.keys(errors ?? {}).some((name) => name.startsWith("newPhoto-"));
  return (
    <fieldset className="field photo-fields">
      <legend>
        {t("images.photos")} <span className="optional">({t("common.optional")})</span>
      </legend>
      <p className="hint">{t("images.photosHint")}</p>
      {anyFileError || (errors && Object.keys(errors).length > 0) ? <p className="hint">{t("images.reselectHint")}</p> : null}
      {existing.length > 0 ? (
        <ul className="photo-list">
          {existing.map((photo, index) => {
            const alt = `photo-${photo.id}-alt`;
            const position = `photo-${photo.id}-position`;
            const remove = `photo-${photo.id}-remove`;
            return (
              <li key={photo.id} className="photo-edit">
                <Picture image={photo} sizes="8rem" className="photo-thumb" />
                <div className="stack">
                  <p className="eyebrow">{index === 0 ? t("images.cover") : t("images.existing", { position: index + 1 })}</p>
                  <div className={`field${errors?.[alt] ? " has-error" : ""}`}>
                    <label htmlFor={fieldId(alt)}>{t("images.alt")}</label>
                    <input
                      id={fieldId(alt)}
                      name={alt}
                      type="text"
                      maxLength={250}
                      defaultValue={value(alt, photo.alt)}
                      aria-invalid={errors?.[alt] ? true : undefined}
                    />
                    <FieldError name={alt} error={errors?.[alt]} />
                  </div>
                  <div className="photo-controls">
                    <div className={`field${errors?.[position] ? " has-error" : ""}`}>
                      <label htmlFor={fieldId(position)}>{t("images.position")}</label>
                      <input
                        id={fieldId(position)}
                        name={position}
                        type="number"
                        min={1}
                        max={MAX_PHOTOS_PER_POST}
                        inputMode="numeric"
                        defaultValue={value(position, String(index + 1))}
                        className="narrow-input"
                      />
                      <FieldError name={position} error={errors?.[position]} />
                    </div>
                    <label className="checkbox">
                      <input type="checkbox" name={remove} defaultChecked={value(remove, "") === "on"} /> {t("images.remove")}
                    </label>
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {Array.from({ length: freeSlots }, (_, index) => {
        const slot = index + 1;
        const file = `newPhoto-${slot}`;
        const alt = `newPhoto-${slot}-alt`;
        return (
          <div key={slot} className="photo-slot">
            <div className={`field${errors?.[file] ? " has-error" : ""}`}>
              <label htmlFor={fieldId(file)}>{t("images.newPhoto", { slot })}</label>
              <FileInputWithPreview name={file} invalid={Boolean(errors?.[file])} />
              <FieldError name={file} error={errors?.[file]} />
            </div>
            <div className={`field${errors?.[alt] ? " has-error" : ""}`}>
              <label htmlFor={fieldId(alt)}>{t("images.alt")}</label>
              <input
                id={fieldId(alt)}
                name={alt}
                type="text"
                maxLength={250}
                defaultValue={value(alt, "")}
                aria-describedby={`${fieldId(alt)}-hint`}
                aria-invalid={errors?.[alt] ? true : undefined}
              />
              <p className="hint" id={`${fieldId(alt)}-hint`}>
                {t("images.altHint")}
              </p>
              <FieldError name={alt} error={errors?.[alt]} />
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
