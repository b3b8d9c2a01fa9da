/** What pages get of an image: enough for <img srcset sizes width height alt> without layout shift. Browser-safe. */
export type ImageSource = { url: string; width: number };
export type ImageView = {
  id: string;
  alt: string;
  /** the original's dimensions after orientation: the aspect ratio for width/height attributes */
  width: number;
  height: number;
  position: number;
  /** smallest first */
  sources: ImageSource[];
};

export const MAX_PHOTOS_PER_POST = 6;

export function imageUrl(hash: string) {
  return `/images/${hash}.webp`;
}

export function srcSet(image: ImageView) {
  return image.sources.map((source) => `${source.url} ${source.width}w`).join(", ");
}

/** The source closest to (and at least) `width`, or the largest: for og:image and single-size uses. */
export function sourceFor(image: ImageView, width: number) {
  return image.sources.find((source) => source.width >= width) ?? image.sources[image.sources.length - 1]!; // every stored image has its variants
}
