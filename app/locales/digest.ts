/** digest strings; German first. Spread into de.ts / en.ts. */
export const digestDe = {
} as const;

export const digestEn: Record<keyof typeof digestDe, string> = {
};
