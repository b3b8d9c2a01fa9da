/**
 * The S3-compatible engine of the image store (official AWS SDK client): each variant is an object
 * `images/<hash>.webp`, written before the row that names it and deleted after the row is gone.
 */
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import type { ImageStore } from "./store.server";

export type S3Config = {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  forcePathStyle: boolean;
};

export const s3ObjectKey = (hash: string) => `images/${hash}.webp`;

export function createS3ImageStore(config: S3Config): ImageStore & { client: S3Client } {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // S3-compatible stores do not all know the newer flexible checksums: send them only where S3 requires them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
  });
  return {
    engine: "s3",
    client,
    async save(variant) {
      await client.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: s3ObjectKey(variant.hash),
          Body: variant.bytes,
          ContentType: "image/webp",
          CacheControl: "public, max-age=31536000, immutable",
        }),
      );
      return null;
    },
    async load(hash) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: s3ObjectKey(hash) }));
        return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : undefined;
      } catch (error) {
        if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return undefined;
        throw error;
      }
    },
    async forget(hashes) {
      for (const hash of hashes) await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: s3ObjectKey(hash) }));
    },
  };
}
