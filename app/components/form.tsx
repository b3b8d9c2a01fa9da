import { useEffect, useRef, useState, type ReactNode } from "react";
import { useT } from "./i18n";
import { translateFieldMessage } from "~/lib/forms";

type FieldProps = {
  name: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
};

/**
 * A field's id is derived from its name, so the error summary can link to it (one form per page, or forms whose
 * field names differ).
 */
export function fieldId(name: string) {
  return `field-${name}`;
}

function useFieldIds(name: string) {
  const id = fieldId(name);
  return { id, hintId: `${id}-hint`, errorId: `${id}-error`, countId: `${id}-count` };
}

function describedBy(ids: { hintId: string; errorId: string; countId?: string }, hint?: string, error?: string, counted?: boolean) {
  return [hint ? ids.hintId : null, counted ? ids.countId : null, error ? ids.errorId : null].filter(Boolean).join(" ") || undefined;
}

/**
 * Counts characters instead of cutting them off (GOV.UK character count): without JavaScript it states the limit;
 * with it, how many are left or how many too many. The visible count is not announced on every keystroke; a
 * hidden live region says it once typing pauses. The server refuses too long a text with a field error.
 */
function CharacterCount({ id, max, length }: { id: string; max: number; length: number | null }) {
  const t = useT();
  const [announced, setAnnounced] = useState("");
  const message =
    length === null
      ? t("field.maxChars", { max })
      : length > max
        ? t("field.charsTooMany", { count: length - max })
        : t("field.charsLeft", { count: max - length });
  useEffect(() => {
    if (length === null) return;
    const timer = setTimeout(() => setAnnounced(message), 1000);
    return () => clearTimeout(timer);
  }, [length, message]);
  return (
    <>
      <p className={`hint char-count${length !== null && length > max ? " over" : ""}`} id={id}>
        {message}
      </p>
      <p className="visually-hidden" aria-live="polite">
        {announced}
      </p>
    </>
  );
}

export function FieldMessages({ hint, error, ids }: { hint?: string; error?: string; ids: { hintId: string; errorId: string } }) {
  const t = useT();
  return (
    <>
      {hint ? (
        <p className="hint" id={ids.hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={ids.errorId}>
          {translateFieldMessage(t, error)}
        </p>
      ) : null}
    </>
  );
}

export function TextField(
  props: FieldProps & {
    defaultValue?: string;
    type?: string;
    maxLength?: number;
    autoComplete?: string;
    multiline?: boolean;
    rows?: number;
    inputMode?: "email" | "url" | "text";
  },
) {
  const ids = useFieldIds(props.name);
  const t = useT();
  // null until hydrated: the server-rendered page states the limit, the script counts.
  const [length, setLength] = useState<number | null>(null);
  const counted = props.maxLength !== undefined && props.type !== "email" && props.type !== "url";
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useEffect(() => {
    if (counted) setLength(ref.current?.value.length ?? 0);
  }, [counted]);
  const common = {
    id: ids.id,
    name: props.name,
    defaultValue: props.defaultValue,
    // Long text is never cut silently: counted fields have no maxlength, the counter and the server speak instead.
    maxLength: counted ? undefined : props.maxLength,
    required: props.required,
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": describedBy(ids, props.hint, props.error, counted),
    onInput: counted
      ? (event: React.FormEvent<HTMLInputElement | HTMLTextAreaElement>) => setLength(event.currentTarget.value.length)
      : undefined,
  };
  return (
    <div className={`field${props.error ? " has-error" : ""}`}>
      <label htmlFor={ids.id}>
        {props.label}
        {!props.required ? <span className="optional"> ({t("common.optional")})</span> : null}
      </label>
      {props.multiline ? (
        <textarea {...common} ref={ref} rows={props.rows ?? 5} />
      ) : (
        <input {...common} ref={ref} type={props.type ?? "text"} autoComplete={props.autoComplete} inputMode={props.inputMode} />
      )}
      {counted ? <CharacterCount id={ids.countId} max={props.maxLength as number} length={length} /> : null}
      <FieldMessages hint={props.hint} error={props.error} ids={ids} />
    </div>
  );
}

export function SelectField(
  props: FieldProps & {
    defaultValue?: string;
    options: { value: string; label: string }[];
    groups?: { label: string; options: { value: string; label: string }[] }[];
    placeholder?: string;
  },
) {
  const ids = useFieldIds(props.name);
  return (
    <div className={`field${props.error ? " has-error" : ""}`}>
      <label htmlFor={ids.id}>{props.label}</label>
      <select
        id={ids.id}
        name={props.name}
        defaultValue={props.defaultValue ?? ""}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(ids, props.hint, props.error)}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        {props.groups?.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <FieldMessages hint={props.hint} error={props.error} ids={ids} />
    </div>
  );
}

export function RadioGroup(props: FieldProps & { defaultValue?: string; options: { value: string; label: string }[] }) {
  const ids = useFieldIds(props.name);
  return (
    <fieldset
      className={`field radio-group${props.error ? " has-error" : ""}`}
      aria-describedby={describedBy(ids, props.hint, props.error)}
    >
      <legend>{props.label}</legend>
      <div className="choices">
        {props.options.map((option, index) => (
          <label key={option.value} className="choice">
            <input
              type="radio"
              id={index === 0 ? ids.id : undefined}
              name={props.name}
              value={option.value}
              defaultChecked={props.defaultValue === option.value}
              required={props.required}
            />
            {option.label}
          </label>
        ))}
      </div>
      <FieldMessages hint={props.hint} error={props.error} ids={ids} />
    </fieldset>
  );
}

export function CheckboxGroup(props: FieldProps & { defaultValue?: string[]; options: { value: string; label: string }[] }) {
  const ids = useFieldIds(props.name);
  return (
    <fieldset
      className={`field checkbox-group${props.error ? " has-error" : ""}`}
      aria-describedby={describedBy(ids, props.hint, props.error)}
    >
      <legend>{props.label}</legend>
      <div className="choices">
        {props.options.map((option, index) => (
          <label key={option.value} className="choice">
            <input
              type="checkbox"
              id={index === 0 ? ids.id : undefined}
              name={props.name}
              value={option.value}
              defaultChecked={props.defaultValue?.includes(option.value)}
            />
            {option.label}
          </label>
        ))}
      </div>
      <FieldMessages hint={props.hint} error={props.error} ids={ids} />
    </fieldset>
  );
}

export function Checkbox(props: { name: string; label: string; defaultChecked?: boolean }) {
  return (
    <div className="field">
      <label className="choice">
        <input type="checkbox" name={props.name} defaultChecked={props.defaultChecked} /> {props.label}
      </label>
    </div>
  );
}

/** Invisible to people, tempting to bots; the schema rejects any value. */
export function Honeypot() {
  return (
    <div className="hp" aria-hidden="true">
      <label>
        Website
        <input type="text" name="website" tabIndex={-1} autoComplete="off" />
      </label>
    </div>
  );
}

/**
 * The GOV.UK error summary: a heading, then each problem as a link to its field; it takes focus when it appears
 * (autofocus on a full page load without JavaScript, focus() after a submission handled by the script).
 * `labels` names the fields; a field without a label is listed by its message alone.
 */
export function FormErrorSummary({ errors, labels = {} }: { errors?: Record<string, string>; labels?: Record<string, string> }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors ?? {});
  const key = entries.map(([name, message]) => `${name}=${message}`).join("&");
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} aria-labelledby="error-summary-title" role="alert">
      <h2 id="error-summary-title">{t("common.formErrorsTitle")}</h2>
      <ul>
        {entries.map(([name, message]) => {
          const text = translateFieldMessage(t, message);
          return (
            <li key={name}>
              {name === "_form" ? text : <a href={`#${fieldId(name)}`}>{labels[name] ? `${labels[name]}: ${text}` : text}</a>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" | "error" }) {
  return (
    <div className={`notice ${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
