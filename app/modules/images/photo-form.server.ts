/**
 * The photo part of the post form: per existing photo its alt text, place (1–6) and a remove box; per empty slot a
 * file and its alt text. Every refusal is a field error on the field it concerns.
 */
import { fieldMessage, fields, type FieldErrors } from "~/lib/forms";
import type { UploadedFile } from "~/lib/uploads.server";
import type { PostPhotoChanges } from "./images.server";
import type { ImageResult } from "./pipeline.server";
import { MAX_PHOTOS_PER_POST, type ImageView } from "./types";

export const ALT_MAX_LENGTH = 250;
const altText = fields.optionalText(ALT_MAX_LENGTH, { singleLine: true });

export const photoField = {
  alt: (id: string) => `photo-${id}-alt`,
  position: (id: string) => `photo-${id}-position`,
  remove: (id: string) => `photo-${id}-remove`,
  newFile: (slot: number) => `newPhoto-${slot}`,
  newAlt: (slot: number) => `newPhoto-${slot}-alt`,
};

function text(formData: FormData, name: string) {
  const values = formData.getAll(name);
  // a repeated field is a crafted request: take none of it
  if (values.length > 1) return "\u0000";
  return typeof values[0] === "string" ? values[0] : undefined;
}

export type PhotoFormResult = { ok: true; changes: PostPhotoChanges } | { ok: false; errors: FieldErrors };

export function parsePostPhotoForm(
  formData: FormData,
  files: Map<string, UploadedFile<ImageResult>>,
  existing: ImageView[],
): PhotoFormResult {
  const errors: FieldErrors = {};
  const kept: { id: string; alt: string; place: number; index: number }[] = [];
  const removed: string[] = [];
  for (const [index, photo] of existing.entries()) {
    if (text(formData, photoField.remove(photo.id)) === "on") {
      removed.push(photo.id);
      continue;
    }
    const alt = altText.safeParse(text(formData, photoField.alt(photo.id)) ?? photo.alt);
    if (!alt.success) errors[photoField.alt(photo.id)] = alt.error.issues[0]!.message;
    else if (!alt.data) errors[photoField.alt(photo.id)] = fieldMessage("images.altRequired");
    const placeText = text(formData, photoField.position(photo.id));
    const place = placeText === undefined || placeText === "" ? index + 1 : Number(placeText);
    if (!Number.isInteger(place) || place < 1 || place > MAX_PHOTOS_PER_POST)
      errors[photoField.position(photo.id)] = fieldMessage("images.badPosition", { max: MAX_PHOTOS_PER_POST });
    kept.push({ id: photo.id, alt: alt.success ? alt.data : "", place, index });
  }
  const added: PostPhotoChanges["added"] = [];
  for (let slot = 1; slot <= MAX_PHOTOS_PER_POST; slot++) {
    const file = files.get(photoField.newFile(slot));
    const altValue = text(formData, photoField.newAlt(slot));
    const alt = altText.safeParse(altValue);
    if (!alt.success) errors[photoField.newAlt(slot)] = alt.error.issues[0]!.message;
    if (!file) continue;
    if (!file.ok) errors[photoField.newFile(slot)] = fieldMessage("images.refused.tooLarge");
    else if (!file.value.ok) errors[photoField.newFile(slot)] = fieldMessage(`images.refused.${file.value.reason}`);
    else if (alt.success && !alt.data) errors[photoField.newAlt(slot)] = fieldMessage("images.altRequired");
    else if (alt.success) added.push({ image: file.value.image, alt: alt.data });
  }
  // a file field that is not one of the slots is a crafted request
  for (const name of files.keys()) if (!/^newPhoto-[1-6]$/.test(name)) errors[name] = fieldMessage("field.invalidChoice");
  if (kept.length + added.length > MAX_PHOTOS_PER_POST)
    errors[photoField.newFile(1)] = fieldMessage("images.tooMany", { max: MAX_PHOTOS_PER_POST });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  kept.sort((a, b) => a.place - b.place || a.index - b.index);
  return { ok: true, changes: { kept: kept.map(({ id, alt }) => ({ id, alt })), removed, added } };
}
