/**
 * A generated avatar: a person's initials on a colour derived from their id (no upload, no external service).
 * Decorative — the name always stands next to it — so it is hidden from assistive technology.
 */

// Dark enough for white initials (contrast ≥ 4.5:1 against #fff).
const PALETTE = ["#1b6b45", "#8a4b00", "#24557a", "#7a2f5c", "#5b4a8a", "#2f6b6b", "#8a2f2f", "#4f5d1e", "#6b4b2f", "#3d4f7a"];

export function initialsOf(name: string): string {
  const words = name
    .replace(/^(Dr\.|Prof\.)\s+/i, "")
    .split(/[\s-]+/)
    .filter((word) => /\p{L}/u.test(word));
  const [firstWord] = words;
  if (firstWord === undefined) return "?";
  const lastWord = words.length > 1 ? words[words.length - 1] : undefined;
  const first = [...firstWord][0] ?? "";
  const last = lastWord === undefined ? "" : ([...lastWord][0] ?? "");
  return `${first}${last}`.toUpperCase();
}

export function avatarColour(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!; // the remainder is an index of the (non-empty) palette
}

export function Avatar({ name, seed, size = 40 }: { name: string; seed?: string; size?: number }) {
  const initials = initialsOf(name);
  return (
    <svg className="avatar" width={size} height={size} viewBox="0 0 40 40" aria-hidden="true" focusable="false">
      <circle cx="20" cy="20" r="20" fill={avatarColour(seed ?? name)} />
      <text
        x="20"
        y="20"
        dy="0.35em"
        textAnchor="middle"
        fontSize={initials.length > 1 ? 15 : 18}
        fontWeight="700"
        fill="#fff"
        fontFamily="system-ui, sans-serif"
      >
        {initials}
      </text>
    </svg>
  );
}
