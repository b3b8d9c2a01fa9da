import { useId, useRef } from "react";
import { useLocale, useT } from "./i18n";
import { FieldMessages } from "./form";
import { useSuggestions } from "./suggestions";

type Suggestion = { id: string; label: string; matchedLabel: string; userDefined: boolean };

/**
 * A plain comma-separated text field; with JavaScript it suggests skills for the word being typed.
 * Choosing a suggestion replaces that word, so the field stays the single source of the value.
 */
export function SkillPicker(props: { name: string; label: string; defaultValue?: string; hint?: string; error?: string; required?: boolean }) {
  const id = `${useId()}-${props.name}`;
  const ids = { hintId: `${id}-hint`, errorId: `${id}-error` };
  const listId = `${id}-suggestions`;
  const t = useT();
  const locale = useLocale();
  const inputRef = useRef<HTMLInputElement>(null);
  function currentWord(value: string) {
    const parts = value.split(",");
    return parts[parts.length - 1].trim();
  }

  function choose(suggestion: Suggestion) {
    const input = inputRef.current;
    if (!input) return;
    const parts = input.value.split(",").map((part) => part.trim());
    parts[parts.length - 1] = suggestion.label;
    input.value = `${parts.filter(Boolean).join(", ")}, `;
    close();
    input.focus();
  }

  const { suggestions, active, load, onKeyDown, close } = useSuggestions<Suggestion>(choose);

  function onInput() {
    const word = currentWord(inputRef.current?.value ?? "");
    void load(word.length < 2 ? null : `/skills/suggest?q=${encodeURIComponent(word)}&lang=${locale}`);
  }

  return (
    <div className={`field skill-picker${props.error ? " has-error" : ""}`}>
      <label htmlFor={id}>{props.label}</label>
      <input
        ref={inputRef}
        id={id}
        name={props.name}
        type="text"
        defaultValue={props.defaultValue}
        autoComplete="off"
        required={props.required}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={suggestions.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[props.hint ? ids.hintId : null, props.error ? ids.errorId : null].filter(Boolean).join(" ") || undefined}
        onInput={onInput}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={t("skills.suggestions")} className="suggestions" hidden={suggestions.length === 0}>
        {suggestions.map((suggestion, index) => (
          <li
            key={suggestion.id}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? "active" : undefined}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(suggestion);
            }}
          >
            {suggestion.label}
            {suggestion.matchedLabel !== suggestion.label ? <span className="muted"> ({suggestion.matchedLabel})</span> : null}
            {suggestion.userDefined ? <span className="muted"> · {t("skills.userDefined")}</span> : null}
          </li>
        ))}
      </ul>
      <FieldMessages hint={props.hint} error={props.error} ids={ids} />
    </div>
  );
}
