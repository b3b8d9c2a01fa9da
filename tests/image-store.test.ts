/**
 * The image store's behaviour suite, run against every engine available: PostgreSQL (always), the S3 engine against
 * the LOCAL STAND-IN in tests/stand-ins/s3.ts (always; not S3), and against a real S3-compatible store when
 * S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set (the live suite).
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";
import { findImageBytes, imageStore, photosOfPost, removeImageAsAdmin } from "~/modules/images/images.server";
import { processImage, type ProcessedImage } from "~/modules/images/pipeline.server";
import { createPost, updatePost } from "~/modules/posts/posts.server";
import { postSchema } from "~/modules/posts/schema";
import { deleteAccount } from "~/modules/privacy/privacy.server";
import { useTestDatabase } from "./helpers/database";
import { createPerson, postForm } from "./helpers/factories";
import { startS3StandIn, type S3StandIn } from "./stand-ins/s3";
import type { ImageView } from "~/modules/images/types";

const live = ["S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"].every((name) => process.env[name])
  ? {
      S3_ENDPOINT: process.env.S3_ENDPOINT,
      S3_BUCKET: process.env.S3_BUCKET,
      S3_ACCESS_KEY_ID: process.env.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: process.env.S3_SECRET_ACCESS_KEY,
    }
  : undefined;

useTestDatabase();

let standIn: S3StandIn;
beforeAll(async () => {
  standIn = await startS3StandIn();
});
afterAll(async () => {
  await standIn?.close();
  setEnvForTests({
    NODE_ENV: "test",
    WORKERS: "off",
    S3_ENDPOINT: undefined,
    S3_BUCKET: undefined,
    S3_ACCESS_KEY_ID: undefined,
    S3_SECRET_ACCESS_KEY: undefined,
  });
});

type Engine = { name: string; env: () => Record<string, string | undefined>; standIn?: boolean };
const ENGINES: Engine[] = [
  {
    name: "PostgreSQL",
    env: () => ({ S3_ENDPOINT: undefined, S3_BUCKET: undefined, S3_ACCESS_KEY_ID: undefined, S3_SECRET_ACCESS_KEY: undefined }),
  },
  {
    name: "S3 (local stand-in)",
    standIn: true,
    env: () => ({
      S3_ENDPOINT: standIn.url,
      S3_BUCKET: standIn.bucket,
      S3_ACCESS_KEY_ID: "stand-in-key",
      S3_SECRET_ACCESS_KEY: "stand-in-secret",
    }),
  },
  ...(live ? [{ name: "S3 (live, S3_ENDPOINT)", env: () => live }] : []),
];

async function photo(width: number, height: number, colour: string): Promise<ProcessedImage> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
  const result = await processImage(bytes);
  if (!result.ok) throw new Error(result.reason);
  return result.image;
}

const postInput = () => postSchema().parse(Object.fromEntries(postForm()));

describe.each(ENGINES)("image store: $name", (engine) => {
  beforeAll(() => {
    setEnvForTests({ NODE_ENV: "test", WORKERS: "off", RESEND_API_KEY: undefined, MEILI_HOST: undefined, ...engine.env() });
  });

  it("stores every variant with the post, serves the same bytes by hash, and forgets them when photos and accounts go", async () => {
    const author = await createPerson({ displayName: `Store ${engine.name}` });
    const first = await photo(1000, 800, "#aa3322");
    const second = await photo(500, 500, "#2233aa");
    const postId = await createPost(author.id, postInput(), {
      kept: [],
      removed: [],
      added: [
        { image: first, alt: "Erstes" },
        { image: second, alt: "Zweites" },
      ],
    });
    expect(imageStore().engine).toBe(engine.name === "PostgreSQL" ? "postgres" : "s3");

    const rows = await db()<{ hash: string; inline: boolean; byte_size: number }[]>`
      select v.hash, v.bytes is not null as inline, v.byte_size from image_variants v join images i on i.id = v.image_id where i.post_id = ${postId} order by i.position, v.width`;
    expect(rows).toHaveLength(first.variants.length + second.variants.length);
    for (const row of rows) expect(row.inline).toBe(engine.name === "PostgreSQL");
    const variants = [...first.variants, ...second.variants];
    for (const variant of variants) {
      const served = await findImageBytes(variant.hash);
      expect(served.status).toBe("ok");
      if (served.status === "ok") expect(Buffer.compare(served.bytes, variant.bytes)).toBe(0);
    }
    if (engine.standIn) {
      expect(standIn.objects.get(`images/${first.variants[0]!.hash}.webp`)).toMatchObject({
        contentType: "image/webp",
        cacheControl: "public, max-age=31536000, immutable",
      });
      expect(standIn.requests.every((request) => request.signed)).toBe(true);
    }

    // removing one photo by editing the post forgets its bytes
    const [firstView, secondView] = (await photosOfPost(postId)) as [ImageView, ImageView];
    expect(
      await updatePost(postId, { id: author.id, isAdmin: false }, postInput(), {
        kept: [{ id: secondView.id, alt: "Zweites" }],
        removed: [firstView.id],
        added: [],
      }),
    ).toBe(true);
    for (const variant of first.variants) expect((await findImageBytes(variant.hash)).status).toBe("missing");
    if (engine.standIn) expect(standIn.objects.has(`images/${first.variants[0]!.hash}.webp`)).toBe(false);

    // an admin removes the other one
    await removeImageAsAdmin(secondView.id);
    for (const variant of second.variants) expect((await findImageBytes(variant.hash)).status).toBe("missing");

    // deleting the account forgets everything the person stored
    const third = await photo(640, 480, "#22aa33");
    await createPost(author.id, postInput(), { kept: [], removed: [], added: [{ image: third, alt: "Drittes" }] });
    expect(await deleteAccount(author.id)).toBe(true);
    for (const variant of third.variants) expect((await findImageBytes(variant.hash)).status).toBe("missing");
    if (engine.standIn)
      expect([...standIn.objects.keys()].filter((key) => third.variants.some((variant) => key.includes(variant.hash)))).toEqual([]);
  });

  if (engine.standIn) {
    it("a store that fails while the post is saved leaves no post and no image row (the transaction rolls back)", async () => {
      const author = await createPerson({ displayName: "Stand-in Failure" });
      const before = await db()`select (select count(*) from posts)::int as posts, (select count(*) from images)::int as images`;
      standIn.failNext(500, 500, 500);
      await expect(
        createPost(author.id, postInput(), {
          kept: [],
          removed: [],
          added: [{ image: await photo(400, 300, "#777777"), alt: "Fehlschlag" }],
        }),
      ).rejects.toThrow();
      expect(await db()`select (select count(*) from posts)::int as posts, (select count(*) from images)::int as images`).toEqual(before);
    });
  }
});
