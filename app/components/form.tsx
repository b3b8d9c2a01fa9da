import { useId, type ReactNode } from "react";
import { useT } from "./i18n";
import { translateFieldMessage } from "~/lib/forms";

type FieldProps = {
  name: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
};

function useFieldIds(name: string) {
  const id = `${useId()}-${name}`;
  return { id, hintId: `${id}-hint`, errorId: `${id}-error` };
}

function describedBy(ids: { hintId: string; errorId: string }, hint?: string, error?: string) {
  return [hint ? ids.hintId : null, error ? ids.errorId : null].filter(Boolean).join(" ") || undefined;
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
  props: FieldProps & { defaultValue?: string; type?: string; maxLength?: number; autoComplete?: string; multiline?: boolean; rows?: number; inputMode?: "email" | "url" | "text" },
) {
  const ids = useFieldIds(props.name);
  const t = useT();
  const common = {
    id: ids.id,
    name: props.name,
    defaultValue: props.defaultValue,
    maxLength: props.maxLength,
    required: props.required,
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": describedBy(ids, props.hint, props.error),
  };
  return (
    <div className={`field${props.error ? " has-error" : ""}`}>
      <label htmlFor={ids.id}>
        {props.label}
        {!props.required ? <span className="optional"> ({t("common.optional")})</span> : null}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 5} />
      ) : (
        <input {...common} type={props.type ?? "text"} autoComplete={props.autoComplete} inputMode={props.inputMode} />
      )}
      <FieldMessages hint={props.hint} error={props.error} ids={ids} />
    </div>
  );
}

export function SelectField(props: FieldProps & { defaultValue?: string; options: { value: string; label: string }[]; groups?: { label: string; options: { value: string; label: string }[] }[]; placeholder?: string }) {
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
    <fieldset className={`field radio-group${props.error ? " has-error" : ""}`} aria-describedby={describedBy(ids, props.hint, props.error)}>
      <legend>{props.label}</legend>
      <div className="choices">
        {props.options.map((option) => (
          <label key={option.value} className="choice">
            <input type="radio" name={props.name} value={option.value} defaultChecked={props.defaultValue === option.value} required={props.required} />
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
    <fieldset className={`field checkbox-group${props.error ? " has-error" : ""}`} aria-describedby={describedBy(ids, props.hint, props.error)}>
      <legend>{props.label}</legend>
      <div className="choices">
        {props.options.map((option) => (
          <label key={option.value} className="choice">
            <input type="checkbox" name={props.name} value={option.value} defaultChecked={props.defaultValue?.includes(option.value)} />
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

export function FormErrorSummary({ errors }: { errors?: Record<string, string> }) {
  const t = useT();
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div className="notice error" role="alert">
      {t("common.formErrors")}
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
