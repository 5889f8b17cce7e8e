import { useEffect, useState } from "react";

const DEBOUNCE_MS = 300;

/** The search field: the list follows what is typed once typing pauses, not on every key. */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  // The address changed under the field (back button, a tile link): show what it now says.
  if (value !== shown) {
    setShown(value);
    if (text.trim() !== value) setText(value);
  }

  useEffect(() => {
    const q = text.trim();
    if (q === value) return;
    const timer = setTimeout(() => onSearch(q), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, value, onSearch]);

  return (
    <label className="search field">
      <span className="field__label">Search</span>
      <input
        type="search"
        value={text}
        placeholder="Name, owner, email or site ID"
        maxLength={100}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") onSearch(text.trim());
        }}
      />
    </label>
  );
}
