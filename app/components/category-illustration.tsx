import type { Category } from "~/lib/reference";

/** Our own small drawings, one per category, for post cards without a photo. Decorative: the card says the category in words. */
const DRAWINGS: Record<Category, { background: string; ink: string; shapes: JSX.Element }> = {
  knowhow: {
    background: "#e8f1fb",
    ink: "#2b5d8c",
    // a light bulb
    shapes: (
      <>
        <circle cx="60" cy="34" r="16" fill="none" strokeWidth="4" />
        <path d="M52 50v8h16v-8M54 63h12" fill="none" strokeWidth="4" strokeLinecap="round" />
        <path d="M30 20l6 5M90 20l-6 5M60 8v6" strokeWidth="3" strokeLinecap="round" />
      </>
    ),
  },
  space: {
    background: "#eef6e8",
    ink: "#3d6b2a",
    // a workshop hall with a saw-tooth roof
    shapes: (
      <>
        <path d="M22 64V34l19-12v12l19-12v12l19-12v12l19-12v42z" fill="none" strokeWidth="4" strokeLinejoin="round" />
        <rect x="52" y="46" width="16" height="18" fill="none" strokeWidth="4" />
      </>
    ),
  },
  equipment: {
    background: "#fbefe3",
    ink: "#8a4b16",
    // a cog and a wrench
    shapes: (
      <>
        <circle cx="46" cy="40" r="12" fill="none" strokeWidth="4" />
        <path d="M46 22v6M46 52v6M28 40h6M58 40h6M33 27l4 4M55 49l4 4M33 53l4-4M55 31l4-4" strokeWidth="4" strokeLinecap="round" />
        <path d="M70 62l18-18m-4-8a8 8 0 1 0 8 8" fill="none" strokeWidth="4" strokeLinecap="round" />
      </>
    ),
  },
  materials: {
    background: "#f4ede4",
    ink: "#6b4e2e",
    // stacked boards
    shapes: (
      <>
        <rect x="24" y="48" width="72" height="10" rx="2" fill="none" strokeWidth="4" />
        <rect x="30" y="34" width="60" height="10" rx="2" fill="none" strokeWidth="4" />
        <rect x="38" y="20" width="44" height="10" rx="2" fill="none" strokeWidth="4" />
      </>
    ),
  },
  funding: {
    background: "#f9f3dc",
    ink: "#7a6410",
    // coins
    shapes: (
      <>
        <ellipse cx="48" cy="52" rx="18" ry="7" fill="none" strokeWidth="4" />
        <path d="M30 52v-10c0 4 8 7 18 7s18-3 18-7v10" fill="none" strokeWidth="4" />
        <ellipse cx="48" cy="42" rx="18" ry="7" fill="none" strokeWidth="4" />
        <circle cx="80" cy="30" r="11" fill="none" strokeWidth="4" />
      </>
    ),
  },
  project: {
    background: "#efe8f7",
    ink: "#5b3b86",
    // people around a table
    shapes: (
      <>
        <circle cx="36" cy="28" r="7" fill="none" strokeWidth="4" />
        <circle cx="60" cy="24" r="7" fill="none" strokeWidth="4" />
        <circle cx="84" cy="28" r="7" fill="none" strokeWidth="4" />
        <path
          d="M22 56h76M30 56c0-10 4-16 6-16M90 56c0-10-4-16-6-16M48 56c0-12 6-20 12-20s12 8 12 20"
          fill="none"
          strokeWidth="4"
          strokeLinecap="round"
        />
      </>
    ),
  },
};

/** A band in the category's colour with its drawing in the middle: lower than a photo, so a list stays compact. */
export function CategoryIllustration({ category, className }: { category: string; className?: string }) {
  const drawing = DRAWINGS[category as Category] ?? DRAWINGS.project;
  return (
    <div className={className} style={{ background: drawing.background }}>
      <svg viewBox="0 0 120 75" width="120" height="75" aria-hidden="true" focusable="false">
        <g stroke={drawing.ink}>{drawing.shapes}</g>
      </svg>
    </div>
  );
}
