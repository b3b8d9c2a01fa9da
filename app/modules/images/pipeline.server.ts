/**
 * The image pipeline: decides the real type from the bytes, refuses what is not a photo we can read, and turns an
 * accepted one into WebP variants with no metadata (EXIF and GPS would reveal where a workshop photo was taken).
 */
import crypto from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import sharp, { type Metadata } from "sharp";

// Every upload is a different file: libvips' operation cache would only hold memory (up to 50 MB) for nothing.
// Concurrency stays sharp's default, which on glibc Linux is one libvips thread per image (less memory
// fragmentation): two uploads at once use both cores of our machines, and one upload cannot starve the other.
sharp.cache(false);

/** The widths a page picks from with srcset; an image narrower than one is stored at its own width, never upscaled. */
export const IMAGE_WIDTHS = [320, 800, 1600] as const;
/** A decompression bomb (a small file that decodes to a huge bitmap) is refused before its pixels are decoded. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** One uploaded file; phones write 2–8 MB photos. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** What file-type may report for a photo; everything else (SVG, GIF, PDF, text …) is refused. */
const ACCEPTED_MIME = new Set(["image/jpeg", "image/png", "image/webp", "image/avif", "image/heic", "image/heif"]);

/** Variants are encoded with this quality: visually clean photos at about a tenth of a phone JPEG's bytes. */
const WEBP_QUALITY = 78;
/** libwebp's effort 0–6: 6 saves a few percent of bytes at several times the time; 2 keeps the pipeline near sharp's plain resize. */
const WEBP_EFFORT = 2;

export type ImageVariant = { width: number; height: number; hash: string; bytes: Buffer };
export type ProcessedImage = { width: number; height: number; variants: ImageVariant[] };
export type ImageRefusalReason = "type" | "tooManyPixels" | "unreadable" | "tooLarge";
export type ImageResult = { ok: true; image: ProcessedImage } | { ok: false; reason: ImageRefusalReason };

export function contentHash(bytes: Buffer) {
  return crypto.createHash("sha256").update(bytes).digest("base64url").slice(0, 32);
}

/** Target widths for an image of this width: the fixed ones below it, plus its own width when it is narrower than the largest. */
export function variantWidths(originalWidth: number): number[] {
  const widths = new Set<number>();
  for (const width of IMAGE_WIDTHS) widths.add(Math.min(width, originalWidth));
  return [...widths].sort((a, b) => a - b);
}

/**
 * Images decoded at once per process: each holds a decoded bitmap (up to ~6 MB at 1600 px) and libvips buffers, and
 * two keep both cores busy; more uploads at the same moment wait their turn instead of growing the memory.
 */
const MAX_IMAGES_AT_ONCE = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  // a finishing image hands its slot straight to the next in line, so a newcomer cannot slip in between
  if (running >= MAX_IMAGES_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export async function processImage(bytes: Buffer): Promise<ImageResult> {
  return inTurn(() => processNow(bytes));
}

async function processNow(bytes: Buffer): Promise<ImageResult> {
  if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, reason: "tooLarge" };
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !ACCEPTED_MIME.has(type.mime)) return { ok: false, reason: "type" };
  // failOn "warning" (sharp's default, named here on purpose): a truncated or corrupt file is refused instead of
  // stored with a grey lower half.
  const input = () => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "warning", sequentialRead: true });
  let metadata: Metadata;
  try {
    // The header only (no pixels decoded), read without the limit so a bomb is named as such.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  if (!metadata.width || !metadata.height) return { ok: false, reason: "unreadable" };
  if (metadata.width * metadata.height > MAX_INPUT_PIXELS) return { ok: false, reason: "tooManyPixels" };
  // EXIF orientations 5–8 swap width and height once applied.
  const swapped = (metadata.orientation ?? 1) >= 5;
  const width = swapped ? metadata.height : metadata.width;
  const height = swapped ? metadata.width : metadata.height;
  try {
    // One decode, at the largest width needed (JPEG shrink-on-load does part of the work), orientation applied:
    // the smaller widths are resized from that bitmap instead of decoding the file again.
    const largest = Math.min(IMAGE_WIDTHS[IMAGE_WIDTHS.length - 1]!, width);
    const { data: pixels, info } = await input()
      .rotate()
      .resize({ width: largest, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
    // WebP output carries no metadata (EXIF, GPS, XMP) unless asked for with keepMetadata() — and the raw step above
    // has none to carry anyway.
    const variants = await Promise.all(
      variantWidths(width).map(async (targetWidth) => {
        const { data, info: out } = await sharp(pixels, raw)
          .resize({ width: targetWidth, withoutEnlargement: true })
          .webp({ quality: WEBP_QUALITY, effort: WEBP_EFFORT })
          .toBuffer({ resolveWithObject: true });
        return { width: out.width, height: out.height, hash: contentHash(data), bytes: data };
      }),
    );
    return { ok: true, image: { width, height, variants } };
  } catch {
    return { ok: false, reason: "unreadable" };
  }
}
