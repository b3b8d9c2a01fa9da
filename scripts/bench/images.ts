// npm run bench:images — 200 photos of 12 megapixels (4000×3000 JPEG, generated here in a child process so their
// making does not count toward this process's memory) through the real upload pipeline (type from the bytes, pixel
// limit, orientation, metadata stripped, WebP in 320/800/1600), and the same files through sharp's plain resize to
// one width (1600, JPEG out): the floor. Prints images/s of both, their ratio, peak RSS and bytes stored per image.
// BENCH_IMAGES changes the count. Both runs keep two images in flight (two cores) with the same sharp settings.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { processImage } from "../../app/modules/images/pipeline.server";

const COUNT = Number(process.env.BENCH_IMAGES ?? 200);
const WIDTH = 4000;
const HEIGHT = 3000;
const IN_FLIGHT = 2;

async function generate(dir: string, count: number) {
  const raw = { raw: { width: WIDTH, height: HEIGHT, channels: 3 as const } };
  // fine grain (sensor noise) is the slow part to make: made once, laid over every photo
  const grain = await sharp({
    create: { width: WIDTH, height: HEIGHT, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 12 } },
  })
    .raw()
    .toBuffer();
  for (let index = 0; index < count; index++) {
    // smooth colour fields (noise scaled up, different for every photo), hard-edged shapes and the grain:
    // compresses like a photo (about 2 MB as JPEG)
    const fields = await sharp({
      create: { width: 64, height: 48, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 60 } },
    })
      .resize(WIDTH, HEIGHT, { kernel: "cubic" })
      .raw()
      .toBuffer();
    const shapes = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">` +
        Array.from({ length: 12 }, (_, shape) => {
          const x = (index * 377 + shape * 911) % WIDTH;
          const y = (index * 613 + shape * 457) % HEIGHT;
          return `<rect x="${x}" y="${y}" width="${300 + ((shape * 97) % 600)}" height="${200 + ((shape * 53) % 400)}" fill="hsl(${(index * 37 + shape * 29) % 360},55%,45%)" opacity="0.8"/>`;
        }).join("") +
        `</svg>`,
    );
    await sharp(fields, raw)
      .composite([{ input: shapes }, { input: grain, ...raw, blend: "soft-light" }])
      .jpeg({ quality: 88 })
      .toFile(path.join(dir, `photo-${String(index).padStart(3, "0")}.jpg`));
    if ((index + 1) % 20 === 0) console.log(`  generated ${index + 1}/${count}`);
  }
}

if (process.argv[2] === "--generate") {
  await generate(process.argv[3]!, Number(process.argv[4]));
  process.exit(0);
}

/** Runs `work` over every file with IN_FLIGHT at a time; reads each file only when it is its turn. */
async function runAll(files: string[], work: (bytes: Buffer) => Promise<number>) {
  let next = 0;
  let stored = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < files.length) {
        const file = files[next++]!;
        stored += await work(await fs.promises.readFile(file));
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, stored };
}

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nl-bench-images-"));
try {
  console.log(`Generating ${COUNT} photos of ${WIDTH}×${HEIGHT} (${(WIDTH * HEIGHT) / 1e6} MP) in ${dir} …`);
  const generated = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--generate", dir, String(COUNT)], {
    stdio: "inherit",
  });
  if (generated.status !== 0) throw new Error("generating the photos failed");
  const files = fs
    .readdirSync(dir)
    .map((name) => path.join(dir, name))
    .sort();
  const inputBytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  console.log(`  ${(inputBytes / files.length / 1024 / 1024).toFixed(2)} MB per JPEG on average`);
  console.log(
    `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, concurrency ${sharp.concurrency()}, cache ${JSON.stringify(sharp.cache())}`,
  );

  console.log("Floor: sharp(file).resize({ width: 1600 }).toBuffer() …");
  const floor = await runAll(files, async (bytes) => (await sharp(bytes).resize({ width: 1600 }).toBuffer()).length);
  console.log(`  ${(files.length / floor.seconds).toFixed(2)} images/s`);

  console.log("Pipeline: processImage(bytes) …");
  let refused = 0;
  const pipeline = await runAll(files, async (bytes) => {
    const result = await processImage(bytes);
    if (!result.ok) {
      refused++;
      return 0;
    }
    return result.image.variants.reduce((sum, variant) => sum + variant.bytes.length, 0);
  });
  if (refused > 0) throw new Error(`${refused} generated photos were refused by the pipeline`);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const imagesPerSecond = files.length / pipeline.seconds;
  const floorPerSecond = files.length / floor.seconds;
  const ratio = floorPerSecond / imagesPerSecond;
  const peakRssMb = peakRss / 1024 / 1024;
  const bytesPerImage = Math.round(pipeline.stored / files.length);
  console.log(`  ${imagesPerSecond.toFixed(2)} images/s, ${(bytesPerImage / 1024).toFixed(0)} KB stored per image (three WebP widths)`);
  console.log(`ratio to the floor: ${ratio.toFixed(2)}× (target ≤ 3×) · peak RSS ${peakRssMb.toFixed(0)} MB (target ≤ 400 MB)`);
  console.log(
    JSON.stringify({
      bench: "images",
      images_per_s: Number(imagesPerSecond.toFixed(2)),
      floor_images_per_s: Number(floorPerSecond.toFixed(2)),
      ratio: Number(ratio.toFixed(2)),
      peak_rss_mb: Number(peakRssMb.toFixed(0)),
      bytes_per_image: bytesPerImage,
    }),
  );
} finally {
  clearInterval(sampler);
  fs.rmSync(dir, { recursive: true, force: true });
}
