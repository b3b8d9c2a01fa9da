import { useEffect, useRef, useState } from "react";

/** How long typing must pause before suggestions are requested. */
export const SUGGEST_DEBOUNCE_MS = 150;

/**
 * Suggestions for a combobox text field (skill picker, search box): loads them from a JSON endpoint once the
 * person pauses typing (debounced; an older request still running is aborted), and handles the keys — arrows
 * move, Enter chooses, Escape closes.
 */
export function useSuggestions<T>(choose: (suggestion: T) => void, options: { debounceMs?: number } = {}) {
  const debounceMs = options.debounceMs ?? SUGGEST_DEBOUNCE_MS;
  const [suggestions, setSuggestions] = useState<T[]>([]);
  const [active, setActive] = useState(-1);
  const request = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      request.current?.abort();
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  async function fetchNow(url: string) {
    const controller = new AbortController();
    request.current = controller;
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const body = (await response.json()) as { suggestions: T[] };
      if (controller.signal.aborted) return;
      setSuggestions(body.suggestions);
      setActive(-1);
    } catch {
      // An aborted or failed request leaves the field as it is; the form works without suggestions.
    }
  }

  /** Loads `url` (whose JSON has `suggestions`) after the pause, or clears the list when `url` is null. */
  function load(url: string | null) {
    request.current?.abort();
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (url === null) {
      setSuggestions([]);
      setActive(-1);
      return;
    }
    timer.current = setTimeout(() => {
      timer.current = null;
      void fetchNow(url);
    }, debounceMs);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (suggestions.length === 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((index) => (index + 1) % suggestions.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((index) => (index <= 0 ? suggestions.length - 1 : index - 1));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      select(suggestions[active] as T);
    } else if (event.key === "Escape") {
      event.preventDefault();
      setSuggestions([]);
      setActive(-1);
    }
  }

  function close() {
    request.current?.abort();
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setSuggestions([]);
    setActive(-1);
  }

  /** Takes a suggestion: the list closes, then `choose` gets it (keyboard or pointer alike). */
  function select(suggestion: T) {
    close();
    choose(suggestion);
  }

  return { suggestions, active, load, onKeyDown, close, select };
}
