import { srcSet, sourceFor, type ImageView } from "~/modules/images/types";

/**
 * One stored image: srcset of its WebP widths, `sizes` from the layout, width/height from the original (the browser
 * reserves the space before the bytes arrive: no layout shift), lazy unless it is above the fold.
 */
export function Picture({
  image,
  sizes,
  className,
  eager = false,
  alt,
}: {
  image: ImageView;
  sizes: string;
  className?: string;
  eager?: boolean;
  alt?: string;
}) {
  const fallback = sourceFor(image, 800);
  return (
    <img
      className={className}
      src={fallback.url}
      srcSet={srcSet(image)}
      sizes={sizes}
      width={image.width}
      height={image.height}
      alt={alt ?? image.alt}
      loading={eager ? "eager" : "lazy"}
      decoding="async"
    />
  );
}
