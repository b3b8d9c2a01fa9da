import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Sql } from "./db.server";
import { LOCK } from "./locks.server";

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "db/migrations");
/** One number for every process of this app, so concurrent starts apply each file once. */

export type MigrationFile = { name: string; checksum: string; content: string };

export class MigrationError extends Error {}

export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      const content = fs.readFileSync(path.join(dir, name), "utf8");
      return { name, content, checksum: crypto.createHash("sha256").update(content).digest("hex") };
    });
}

/**
 * Applies pending migrations in order, all in one transaction under an advisory lock: a second process
 * waits, then finds them applied. An applied file whose content changed is refused by name.
 */
export async function migrate(sql: Sql, options: { dir?: string; onApply?: (name: string) => void } = {}): Promise<string[]> {
  const files = readMigrationFiles(options.dir);
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK.migrations})`;
    await tx`
      create table if not exists schema_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
    const applied = new Map(
      (await tx<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations`).map((row) => [row.name, row.checksum]),
    );
    for (const [name, checksum] of applied) {
      const file = files.find((candidate) => candidate.name === name);
      if (file && file.checksum !== checksum) {
        throw new MigrationError(
          `Migration ${name} was changed after it was applied (checksum differs). Restore it and put the change in a new migration file.`,
        );
      }
    }
    const appliedNow: string[] = [];
    for (const file of files) {
      if (applied.has(file.name)) continue;
      options.onApply?.(file.name);
      try {
        await tx.unsafe(file.content);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`Migration ${file.name} failed: ${reason}`);
      }
      await tx`insert into schema_migrations (name, checksum) values (${file.name}, ${file.checksum})`;
      appliedNow.push(file.name);
    }
    return appliedNow;
  });
}
