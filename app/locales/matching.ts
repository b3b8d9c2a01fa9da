/** matching strings; German first. Spread into de.ts / en.ts. */
export const matchingDe = {
} as const;

export const matchingEn: Record<keyof typeof matchingDe, string> = {
};
