/**
 * Where variant bytes live: one interface, two engines, chosen by configuration like the search engine.
 * - PostgreSQL (default): in `image_variants.bytes`, written in the same transaction as the post.
 * - S3-compatible object store (S3_ENDPOINT …): under `images/<hash>.webp`; the row keeps the hash and size only.
 */
import type { ImageVariant } from "./pipeline.server";

export interface ImageStore {
  readonly engine: "postgres" | "s3";
  /**
   * Called before the variant's row is written, inside the writer's transaction: returns the bytes for the row, or
   * null when the engine keeps them itself. An object written for a transaction that then fails stays as an unnamed
   * orphan (content-addressed, never served), which is harmless.
   */
  save(variant: ImageVariant): Promise<Buffer | null>;
  /** The bytes of a variant whose row holds none. */
  load(hash: string): Promise<Buffer | undefined>;
  /** After the rows are deleted and committed: drops the bytes of these hashes (those no row names any more). */
  forget(hashes: string[]): Promise<void>;
}

export const postgresImageStore: ImageStore = {
  engine: "postgres",
  save: async (variant) => variant.bytes,
  load: async () => undefined,
  // the rows held the bytes; deleting them deleted the bytes
  forget: async () => {},
};
