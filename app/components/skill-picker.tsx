import { useEffect, useRef, useState } from "react";
import { fieldId, FieldMessages } from "./form";
import { useLocale, useT } from "./i18n";
import { useSuggestions } from "./suggestions";

type Suggestion = { id: string; label: string; matchedLabel: string; userDefined: boolean };

/** "Holzbau, 3D-Druck," → ["Holzbau", "3D-Druck"] (trimmed, empty parts and repeats dropped, case-insensitively). */
export function splitSkillList(value: string): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const part of value.split(",")) {
    const label = part.trim();
    if (!label || seen.has(label.toLowerCase())) continue;
    seen.add(label.toLowerCase());
    result.push(label);
  }
  return result;
}

/**
 * Skills as removable chips with a combobox for adding more (ARIA 1.2 combobox + listbox: arrows move through the
 * suggestions, Enter or Tab-free clicking chooses, Escape closes, Enter or a comma on typed text adds it as it is,
 * Backspace in the empty field removes the last chip). The value travels in one hidden comma-separated field.
 *
 * Without JavaScript (and in the server-rendered HTML) it is the plain comma-separated text field it always was.
 */
export function SkillPicker(props: {
  name: string;
  label: string;
  defaultValue?: string;
  hint?: string;
  error?: string;
  required?: boolean;
}) {
  const id = fieldId(props.name);
  const ids = { hintId: `${id}-hint`, errorId: `${id}-error` };
  const listId = `${id}-suggestions`;
  const chipsId = `${id}-chips`;
  const t = useT();
  const locale = useLocale();
  const [enhanced, setEnhanced] = useState(false);
  const [chips, setChips] = useState<string[]>(() => splitSkillList(props.defaultValue ?? ""));
  const [text, setText] = useState("");
  const [announcement, setAnnouncement] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  const plainRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Whatever was typed into the plain field before the script arrived becomes chips.
    if (plainRef.current && plainRef.current.value !== (props.defaultValue ?? "")) setChips(splitSkillList(plainRef.current.value));
    setEnhanced(true);
    // once, when the script takes over
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // A new value from the server (after saving) replaces the chips: compared during render, as React advises for
  // state that follows a prop.
  const [shownDefault, setShownDefault] = useState(props.defaultValue);
  if (shownDefault !== props.defaultValue) {
    setShownDefault(props.defaultValue);
    setChips(splitSkillList(props.defaultValue ?? ""));
    setText("");
  }

  function addChip(label: string) {
    const clean = label.trim();
    if (!clean) return;
    setChips((current) => (current.some((chip) => chip.toLowerCase() === clean.toLowerCase()) ? current : [...current, clean]));
    setAnnouncement(t("skills.added", { label: clean }));
  }

  function removeChip(label: string) {
    setChips((current) => current.filter((chip) => chip !== label));
    setAnnouncement(t("skills.removed", { label }));
    inputRef.current?.focus();
  }

  function choose(suggestion: Suggestion) {
    addChip(suggestion.label);
    setText("");
    inputRef.current?.focus();
  }

  const { suggestions, active, load, onKeyDown: navigate, close, select } = useSuggestions<Suggestion>(choose);
  const shown = suggestions.filter((suggestion) => !chips.some((chip) => chip.toLowerCase() === suggestion.label.toLowerCase()));
  const expanded = shown.length > 0;

  function onChange(event: React.ChangeEvent<HTMLInputElement>) {
    const value = event.currentTarget.value;
    // Typed or pasted commas finish the words before them.
    if (value.includes(",")) {
      const parts = value.split(",");
      const rest = parts.pop() ?? "";
      for (const part of splitSkillList(parts.join(","))) addChip(part);
      setText(rest.trimStart());
      load(null);
      return;
    }
    setText(value);
    const word = value.trim();
    load(word.length < 2 ? null : `/skills/suggest?q=${encodeURIComponent(word)}&lang=${locale}`);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" && !(expanded && active >= 0)) {
      // Enter on typed text adds it as it is (a skill of one's own); on an empty field it submits the form.
      if (text.trim()) {
        event.preventDefault();
        addChip(text);
        setText("");
        close();
      }
      return;
    }
    const lastChip = chips[chips.length - 1];
    if (event.key === "Backspace" && text === "" && lastChip !== undefined) {
      event.preventDefault();
      removeChip(lastChip);
      return;
    }
    if (event.key === "Escape" && !expanded) return;
    navigate(event);
  }

  const describedBy =
    [props.hint ? ids.hintId : null, props.error ? ids.errorId : null, enhanced && chips.length ? chipsId : null]
      .filter(Boolean)
      .join(" ") || undefined;

  if (!enhanced) {
    return (
      <div className={`field skill-picker${props.error ? " has-error" : ""}`}>
        <label htmlFor={id}>{props.label}</label>
        <input
          ref={plainRef}
          id={id}
          name={props.name}
          type="text"
          defaultValue={props.defaultValue}
          autoComplete="off"
          required={props.required}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
        />
        <FieldMessages hint={props.hint} error={props.error} ids={ids} />
      </div>
    );
  }

  const value = [...chips, ...(text.trim() ? [text.trim()] : [])].join(", ");
  return (
    <div className={`field skill-picker enhanced${props.error ? " has-error" : ""}`}>
      <label htmlFor={id}>{props.label}</label>
      <input type="hidden" name={props.name} value={value} />
      {chips.length > 0 ? (
        <ul className="chips" id={chipsId} aria-label={t("skills.chosen", { label: props.label })}>
          {chips.map((chip) => (
            <li key={chip} className="chip">
              <span>{chip}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={t("skills.remove", { label: chip })}
                onClick={() => removeChip(chip)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="combobox">
        <input
          ref={inputRef}
          id={id}
          type="text"
          value={text}
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          placeholder={t("skills.placeholder")}
          onChange={onChange}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(close, 150)}
        />
        <ul id={listId} role="listbox" aria-label={t("skills.suggestions")} className="suggestions" hidden={!expanded}>
          {shown.map((suggestion, index) => (
            <li
              key={suggestion.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? "active" : undefined}
              onMouseDown={(event) => {
                event.preventDefault();
                select(suggestion);
              }}
            >
              {suggestion.label}
              {suggestion.matchedLabel !== suggestion.label ? <span className="muted"> ({suggestion.matchedLabel})</span> : null}
              {suggestion.userDefined ? <span className="muted"> · {t("skills.userDefined")}</span> : null}
            </li>
          ))}
        </ul>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <FieldMessages hint={props.hint} error={props.error} ids={ids} />
    </div>
  );
}
