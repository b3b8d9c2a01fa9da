import type { Db, Sql } from "./db.server";

/**
 * Every advisory lock of the app, named in one place so no two uses share a key by accident.
 * Single keys (pg_advisory_lock(bigint)) guard one job; keyed locks (pg_advisory_xact_lock(int, int)) guard one
 * value within a namespace, e.g. one email address's sign-in links, and last until the transaction ends.
 */
export const LOCK = {
  migrations: 7_300_001,
  taxonomySeed: 7_300_002,
  matching: 7_300_005,
  digestRun: 7_300_006,
  /** Held for a whole Meilisearch reindex; Meilisearch's queue waits meanwhile and catches up after the swap. */
  searchReindex: 7_300_007,
} as const;

export const KEYED_LOCK = {
  loginLinksByEmail: 7_301,
  loginLinksByClient: 7_302,
  contactRequestsBySender: 7_303,
  /** creating a user-made skill: two people typing the same new label get one skill */
  skillLabel: 7_304,
} as const;

/**
 * Serialises check-then-insert on one value across connections, processes and instances until the transaction
 * ends: a second request for the same value waits, then counts what the first one wrote.
 */
export async function lockKeyed(tx: Db, namespace: keyof typeof KEYED_LOCK, value: string) {
  await tx`select pg_advisory_xact_lock(${KEYED_LOCK[namespace]}::int, hashtext(${value}))`;
}

/**
 * Takes a single-key lock for a long job (a digest run, a Meilisearch reindex) on a connection of its own, held
 * until `release` — across transactions, processes and instances. Undefined when someone else holds it.
 */
export async function trySessionLock(
  sql: Sql,
  key: (typeof LOCK)[keyof typeof LOCK],
): Promise<{ release: () => Promise<void> } | undefined> {
  const reserved = await sql.reserve();
  const [row] = await reserved<[{ locked: boolean }]>`select pg_try_advisory_lock(${key}) as locked`;
  if (!row.locked) {
    reserved.release();
    return undefined;
  }
  return {
    release: async () => {
      try {
        await reserved`select pg_advisory_unlock(${key})`;
      } finally {
        reserved.release();
      }
    },
  };
}
