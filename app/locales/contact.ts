/** contact strings; German first. Spread into de.ts / en.ts. */
export const contactDe = {
} as const;

export const contactEn: Record<keyof typeof contactDe, string> = {
};
