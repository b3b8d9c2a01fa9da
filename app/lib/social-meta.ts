/**
 * Open Graph and Twitter card tags, so a link pasted into a messenger shows a title, a text and (where there is one)
 * a photo. Browser-safe: route `meta` exports call it with the root loader's locale and APP_URL.
 */
import type { MetaDescriptor } from "@remix-run/node";

export type SocialPage = {
  title: string;
  description: string;
  /** a path on this site (e.g. /images/<hash>.webp) or nothing: the card is then the small "summary" one */
  image?: { path: string; width: number; height: number; alt: string } | null;
  path: string;
  locale: "de" | "en";
  appUrl: string;
  type?: "website" | "article" | "profile";
};

const OG_LOCALE = { de: "de_DE", en: "en_GB" } as const;

/** At most this many characters of a description: what previews show before cutting. */
const DESCRIPTION_MAX = 200;

export function shortDescription(text: string) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= DESCRIPTION_MAX ? flat : `${flat.slice(0, DESCRIPTION_MAX - 1).replace(/\s+\S*$/, "")}…`;
}

export function socialMeta(page: SocialPage): MetaDescriptor[] {
  const absolute = (path: string) => new URL(path, page.appUrl).toString();
  const description = shortDescription(page.description);
  const tags: MetaDescriptor[] = [
    { title: page.title },
    { name: "description", content: description },
    { property: "og:site_name", content: "NextLeipzig" },
    { property: "og:type", content: page.type ?? "website" },
    { property: "og:title", content: page.title },
    { property: "og:description", content: description },
    { property: "og:url", content: absolute(page.path) },
    { property: "og:locale", content: OG_LOCALE[page.locale] },
    { property: "og:locale:alternate", content: OG_LOCALE[page.locale === "de" ? "en" : "de"] },
    { name: "twitter:card", content: page.image ? "summary_large_image" : "summary" },
    { name: "twitter:title", content: page.title },
    { name: "twitter:description", content: description },
  ];
  if (page.image) {
    tags.push(
      { property: "og:image", content: absolute(page.image.path) },
      { property: "og:image:type", content: "image/webp" },
      { property: "og:image:width", content: String(page.image.width) },
      { property: "og:image:height", content: String(page.image.height) },
      { property: "og:image:alt", content: page.image.alt },
      { name: "twitter:image", content: absolute(page.image.path) },
      { name: "twitter:image:alt", content: page.image.alt },
    );
  }
  return tags;
}

/** Locale and base URL from the root route's data, inside a route's `meta`. */
export function rootMetaData(matches: { id: string; data: unknown }[]) {
  const root = matches.find((match) => match.id === "root")?.data as { locale?: "de" | "en"; appUrl?: string } | undefined;
  return { locale: root?.locale ?? "de", appUrl: root?.appUrl ?? "http://localhost:3000" };
}

/** The variant of an image that suits a link preview (about 1200 px wide), with its size. */
export function previewImage(
  image: { alt: string; width: number; height: number; sources: { url: string; width: number }[] } | null | undefined,
  alt?: string,
) {
  if (!image || image.sources.length === 0) return null;
  const source = image.sources.find((candidate) => candidate.width >= 1200) ?? image.sources[image.sources.length - 1]!;
  return { path: source.url, width: source.width, height: Math.round((source.width * image.height) / image.width), alt: alt ?? image.alt };
}
