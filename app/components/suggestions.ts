import { useEffect, useRef, useState } from "react";

/**
 * Suggestions for a combobox text field (skill picker, search box): loads them from a JSON endpoint while the
 * person types (an older request is aborted), and handles the keys — arrows move, Enter chooses, Escape closes.
 */
export function useSuggestions<T>(choose: (suggestion: T) => void) {
  const [suggestions, setSuggestions] = useState<T[]>([]);
  const [active, setActive] = useState(-1);
  const request = useRef<AbortController | null>(null);
  useEffect(() => () => request.current?.abort(), []);

  /** Loads `url` (whose JSON has `suggestions`), or clears the list when `url` is null (too little typed). */
  async function load(url: string | null) {
    request.current?.abort();
    if (url === null) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    request.current = controller;
    try {
      const response = await fetch(url, { signal: controller.signal });
      if (!response.ok) return;
      const body = (await response.json()) as { suggestions: T[] };
      setSuggestions(body.suggestions);
      setActive(-1);
    } catch {
      // An aborted or failed request leaves the field as it is; the form works without suggestions.
    }
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
      choose(suggestions[active]);
    } else if (event.key === "Escape") {
      setSuggestions([]);
    }
  }

  return { suggestions, active, load, onKeyDown, close: () => setSuggestions([]) };
}
