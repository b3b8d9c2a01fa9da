import { z } from "zod";
import type { MessageKey, Translate } from "./i18n";

/**
 * Field errors travel as message keys with optional parameters ("field.tooLong?max=120"), so a schema stays
 * browser-safe and language-neutral, and the page translates them.
 */
export function fieldMessage(key: MessageKey, params: Record<string, string | number> = {}): string {
  const query = new URLSearchParams(Object.entries(params).map(([name, value]) => [name, String(value)])).toString();
  return query ? `${key}?${query}` : key;
}

export function translateFieldMessage(t: Translate, message: string | undefined): string | undefined {
  if (!message) return undefined;
  const [key, query] = message.split("?");
  const params = Object.fromEntries(new URLSearchParams(query ?? ""));
  return t(key as MessageKey, params);
}

export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string | string[]> };

/**
 * Turns FormData into a plain object; repeated names (checkbox groups) become arrays. Linear in the number of
 * fields: a repeated name appends to its array instead of copying it (the server also caps the field count).
 */
export function formValues(formData: FormData): Record<string, string | string[]> {
  const values = new Map<string, string | string[]>();
  for (const [name, value] of formData.entries()) {
    if (typeof value !== "string") continue;
    const existing = values.get(name);
    if (existing === undefined) values.set(name, value);
    else if (Array.isArray(existing)) existing.push(value);
    else values.set(name, [existing, value]);
  }
  return Object.fromEntries(values);
}

/**
 * A submitted value to show again in its field: a field sent several times (a crafted request, or skill chips) is
 * shown as one comma list, so a form never renders an array where it expects text.
 */
export function echoedValue(values: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = values?.[name];
  if (Array.isArray(value)) return value.filter((item) => typeof item === "string").join(", ");
  return typeof value === "string" ? value : undefined;
}

export function parseForm<S extends z.ZodTypeAny>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const values = formValues(formData);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: zodFieldErrors(result.error), values };
}

export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "_form");
    if (errors[field]) continue;
    errors[field] = issue.message.startsWith("field.") || issue.message.includes(".") ? issue.message : fieldMessage("field.invalidChoice");
  }
  return errors;
}

/** C0 and C1 control characters and DEL: a NUL cannot even be stored, the others only ever cause trouble. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, except newline and tab, which long texts keep (CR LF arrives normalised to LF). */
const CONTROL_CHARACTERS_EXCEPT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/**
 * What shows nothing: spaces, zero-width and other format characters (U+200B, U+2060, U+FEFF, bidi marks, soft
 * hyphen, tags), variation selectors, the combining grapheme joiner and the blank "letters" used as fillers.
 */
// Lone variation selectors and joiners are listed on purpose: on their own they show nothing.
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\s\p{Z}\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180e\u2800\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/gu;

/** True when the text has at least one character a reader can see. */
export function hasVisibleCharacters(text: string) {
  return text.replace(INVISIBLE, "").length > 0;
}

/** For fields built elsewhere: no control characters except newline and tab. */
export function hasNoControlCharacters(value: string) {
  return !CONTROL_CHARACTERS_EXCEPT_LINES.test(value.replace(/\r\n/g, "\n"));
}

export type TextOptions = {
  /** Single-line fields (titles, names, addresses) refuse newlines and tabs too. */
  singleLine?: boolean;
};

function normaliseText(value: string | undefined) {
  return (value ?? "").replace(/\r\n/g, "\n").trim();
}

function controlCharacterCheck(options: TextOptions) {
  const pattern = options.singleLine ? CONTROL_CHARACTERS : CONTROL_CHARACTERS_EXCEPT_LINES;
  return (value: string) => !pattern.test(value);
}

/** Common field builders whose messages are keys. Every text refuses control characters as a field error. */
export const fields = {
  /** Required text: empty, blank or invisible-only (e.g. zero-width spaces) counts as missing. */
  text: (max: number, options: TextOptions = {}) =>
    z
      .string({ required_error: fieldMessage("field.required"), invalid_type_error: fieldMessage("field.required") })
      .transform(normaliseText)
      .pipe(
        z
          .string()
          .min(1, fieldMessage("field.required"))
          .max(max, fieldMessage("field.tooLong", { max }))
          .refine(controlCharacterCheck(options), fieldMessage("field.controlCharacters"))
          .refine((value) => value === "" || hasVisibleCharacters(value), fieldMessage("field.required")),
      ),
  /** Optional text: invisible-only becomes empty. */
  optionalText: (max: number, options: TextOptions = {}) =>
    z
      .string({ invalid_type_error: fieldMessage("field.invalidChoice") })
      .optional()
      .transform(normaliseText)
      .pipe(
        z
          .string()
          .max(max, fieldMessage("field.tooLong", { max }))
          .refine(controlCharacterCheck(options), fieldMessage("field.controlCharacters"))
          .transform((value) => (hasVisibleCharacters(value) ? value : "")),
      ),
  choice: <T extends readonly [string, ...string[]]>(options: T) =>
    z.enum(options, {
      errorMap: () => ({ message: fieldMessage("field.invalidChoice") }),
    }),
  checkbox: () =>
    z
      .union([z.literal("on"), z.literal("true"), z.literal("1"), z.literal(""), z.undefined()])
      .transform((value) => value === "on" || value === "true" || value === "1"),
  list: <T extends z.ZodTypeAny>(item: T) =>
    z
      .union([z.string(), z.array(z.string()), z.undefined()])
      .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
      .pipe(z.array(item)),
};
