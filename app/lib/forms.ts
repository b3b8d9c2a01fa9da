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

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors; values: Record<string, string | string[]> };

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

/** Common field builders whose messages are keys. */
export const fields = {
  text: (max: number) =>
    z
      .string({ required_error: fieldMessage("field.required"), invalid_type_error: fieldMessage("field.required") })
      .transform((value) => value.replace(/\r\n/g, "\n").trim())
      .pipe(
        z
          .string()
          .min(1, fieldMessage("field.required"))
          .max(max, fieldMessage("field.tooLong", { max })),
      ),
  optionalText: (max: number) =>
    z
      .string()
      .optional()
      .transform((value) => (value ?? "").replace(/\r\n/g, "\n").trim())
      .pipe(z.string().max(max, fieldMessage("field.tooLong", { max }))),
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
