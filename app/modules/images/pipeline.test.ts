import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";
import { MAX_INPUT_PIXELS, processImage, variantWidths } from "./pipeline.server";

/** A photo-like test image: a gradient with a bright square in the top-left corner (to see rotation). */
async function testPhoto(
  width: number,
  height: number,
  format: "jpeg" | "png" | "webp" | "avif" = "jpeg",
  extra?: (image: Sharp) => Sharp,
) {
  const marker = await sharp({
    create: { width: Math.round(width / 4), height: Math.round(height / 4), channels: 3, background: "#ffffff" },
  })
    .png()
    .toBuffer();
  let image = sharp({ create: { width, height, channels: 3, background: "#204060" } }).composite([{ input: marker, left: 0, top: 0 }]);
  if (extra) image = extra(image);
  return image.toFormat(format).toBuffer();
}

describe("image pipeline", () => {
  it.each(["jpeg", "png", "webp", "avif"] as const)("accepts %s and stores WebP in widths 320/800/1600", async (format) => {
    const result = await processImage(await testPhoto(2000, 1500, format));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.image).toMatchObject({ width: 2000, height: 1500 });
    expect(result.image.variants.map((variant) => [variant.width, variant.height])).toEqual([
      [320, 240],
      [800, 600],
      [1600, 1200],
    ]);
    for (const variant of result.image.variants) expect((await sharp(variant.bytes).metadata()).format).toBe("webp");
  });

  it("never upscales: a 500 px image is stored at 320 and 500", async () => {
    expect(variantWidths(500)).toEqual([320, 500]);
    const result = await processImage(await testPhoto(500, 400, "png"));
    expect(result.ok && result.image.variants.map((variant) => variant.width)).toEqual([320, 500]);
  });

  it("strips EXIF and GPS", async () => {
    const withGps = await testPhoto(1200, 900, "jpeg", (image) =>
      image.withExif({
        IFD0: { Make: "Leica", Model: "Werkstattkamera" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 20/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "12/1 22/1 0/1" },
      }),
    );
    const exif = (await sharp(withGps).metadata()).exif;
    expect(exif?.toString("latin1")).toContain("Werkstattkamera");
    const result = await processImage(withGps);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    for (const variant of result.image.variants) {
      const metadata = await sharp(variant.bytes).metadata();
      expect(metadata.exif).toBeUndefined();
      expect(metadata.xmp).toBeUndefined();
      expect(variant.bytes.toString("latin1")).not.toContain("Werkstattkamera");
      expect(variant.bytes.includes(Buffer.from("GPS"))).toBe(false);
    }
  });

  it("applies the EXIF orientation", async () => {
    // stored landscape 1200×900 with orientation 6 (rotate 90° clockwise to view): shown portrait 900×1200
    const rotated = await testPhoto(1200, 900, "jpeg", (image) => image.withMetadata({ orientation: 6 }));
    const result = await processImage(rotated);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.image).toMatchObject({ width: 900, height: 1200 });
    const largest = result.image.variants.at(-1)!;
    expect([largest.width, largest.height]).toEqual([900, 1200]);
    // the bright marker was top-left in storage; after a clockwise turn it is top-right
    const { data, info } = await sharp(largest.bytes).raw().toBuffer({ resolveWithObject: true });
    const brightness = (x: number, y: number) => data[(y * info.width + x) * info.channels];
    expect(brightness(info.width - 20, 20)).toBeGreaterThan(200);
    expect(brightness(20, 20)).toBeLessThan(120);
  });

  it("refuses more pixels than the limit (a 60-megapixel PNG)", async () => {
    const huge = await sharp({ create: { width: 10000, height: 6000, channels: 3, background: "#ffffff" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(10000 * 6000).toBeGreaterThan(MAX_INPUT_PIXELS);
    expect(await processImage(huge)).toEqual({ ok: false, reason: "tooManyPixels" });
  });

  it("refuses what is not a photo: a renamed text file, an SVG with script, a GIF, a truncated JPEG", async () => {
    expect(await processImage(Buffer.from("Das ist kein Bild, nur Text mit der Endung .jpg\n"))).toEqual({ ok: false, reason: "type" });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    expect(await processImage(svg)).toEqual({ ok: false, reason: "type" });
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#000" } })
      .gif()
      .toBuffer();
    expect(await processImage(gif)).toEqual({ ok: false, reason: "type" });
    const jpeg = await testPhoto(1200, 900, "jpeg");
    expect(await processImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).toEqual({ ok: false, reason: "unreadable" });
  });
});

describe("image pipeline under load", () => {
  it("processes many uploads at once, each with its own result", async () => {
    const sizes = [320, 400, 500, 600, 700, 800];
    const results = await Promise.all(
      sizes.map(async (width) =>
        processImage(
          await sharp({ create: { width, height: 200, channels: 3, background: "#123456" } })
            .png()
            .toBuffer(),
        ),
      ),
    );
    expect(results.map((result) => result.ok && result.image.width)).toEqual(sizes);
  });
});
