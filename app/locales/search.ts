/** search strings; German first. Spread into de.ts / en.ts. */
export const searchDe = {
} as const;

export const searchEn: Record<keyof typeof searchDe, string> = {
};
