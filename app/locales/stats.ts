/** stats strings; German first. Spread into de.ts / en.ts. */
export const statsDe = {
} as const;

export const statsEn: Record<keyof typeof statsDe, string> = {
};
