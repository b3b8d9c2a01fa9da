/** Fixed vocabularies shared by forms, validation, search facets and matching. Labels live in the locale files. */

export const ROLES = ["startup", "scientist", "artist", "craftsperson", "initiative"] as const;
export type Role = (typeof ROLES)[number];

export const POST_KINDS = ["offer", "need"] as const;
export type PostKind = (typeof POST_KINDS)[number];

export const CATEGORIES = ["knowhow", "space", "equipment", "materials", "funding", "project"] as const;
export type Category = (typeof CATEGORIES)[number];

export const EXCHANGE_MODES = ["paid", "volunteer", "barter", "time_credits", "coop_share", "open"] as const;
export type ExchangeMode = (typeof EXCHANGE_MODES)[number];

export const POST_STATUSES = ["open", "fulfilled", "closed"] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const DIGEST_FREQUENCIES = ["weekly", "daily", "off"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export const LANGUAGES_SPOKEN = ["de", "en", "fr", "es", "it", "pl", "cs", "ru", "uk", "ar", "tr", "vi", "fa", "zh"] as const;

/** Leipzig's 63 Ortsteile grouped by their 10 Stadtbezirke (official division). */
export const LEIPZIG_DISTRICTS: Record<string, string[]> = {
  Mitte: ["Zentrum", "Zentrum-Ost", "Zentrum-Südost", "Zentrum-Süd", "Zentrum-West", "Zentrum-Nordwest", "Zentrum-Nord"],
  Nordost: ["Schönefeld-Abtnaundorf", "Schönefeld-Ost", "Mockau-Süd", "Mockau-Nord", "Thekla", "Plaußig-Portitz"],
  Ost: [
    "Neustadt-Neuschönefeld",
    "Volkmarsdorf",
    "Anger-Crottendorf",
    "Sellerhausen-Stünz",
    "Paunsdorf",
    "Heiterblick",
    "Mölkau",
    "Engelsdorf",
    "Baalsdorf",
    "Althen-Kleinpösna",
  ],
  Südost: ["Reudnitz-Thonberg", "Stötteritz", "Probstheida", "Meusdorf", "Liebertwolkwitz", "Holzhausen"],
  Süd: ["Südvorstadt", "Connewitz", "Marienbrunn", "Lößnig", "Dölitz-Dösen"],
  Südwest: ["Schleußig", "Plagwitz", "Kleinzschocher", "Großzschocher", "Knautkleeberg-Knauthain", "Hartmannsdorf-Knautnaundorf"],
  West: ["Schönau", "Grünau-Ost", "Grünau-Mitte", "Grünau-Siedlung", "Lausen-Grünau", "Grünau-Nord", "Miltitz"],
  "Alt-West": ["Lindenau", "Altlindenau", "Neulindenau", "Leutzsch", "Böhlitz-Ehrenberg", "Burghausen-Rückmarsdorf"],
  Nordwest: ["Möckern", "Wahren", "Lützschena-Stahmeln", "Lindenthal"],
  Nord: ["Gohlis-Süd", "Gohlis-Mitte", "Gohlis-Nord", "Eutritzsch", "Seehausen", "Wiederitzsch"],
};

/** Outside Leipzig: the person or post is elsewhere. */
export const ELSEWHERE = "elsewhere";

export const DISTRICTS: string[] = Object.values(LEIPZIG_DISTRICTS).flat();
export const PROFILE_DISTRICTS: string[] = [...DISTRICTS, ELSEWHERE];

const boroughOf = new Map(
  Object.entries(LEIPZIG_DISTRICTS).flatMap(([borough, districts]) => districts.map((district) => [district, borough] as const)),
);

export function boroughOfDistrict(district: string | null | undefined): string | undefined {
  return district ? boroughOf.get(district) : undefined;
}

export function isLeipzigDistrict(district: string | null | undefined): boolean {
  return Boolean(district && boroughOf.has(district));
}
