import crypto from "node:crypto";
import fs from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { openMemoryDatabase, useDatabase, type Database } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";

/** A database of its own for one test file, copied from the template prepared in global-setup. */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  const template = inject("templateDatabase");
  if (url && template) {
    const name = `nl_test_${crypto.randomBytes(6).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template}`);
    const testUrl = new URL(url);
    testUrl.pathname = `/${name}`;
    const sql = postgres(testUrl.toString(), { max: 5, onnotice: () => {} });
    return {
      sql,
      mode: "postgres",
      description: name,
      close: async () => {
        await sql.end({ timeout: 5 });
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dump = fs.readFileSync(inject("pgliteDump"));
  return openMemoryDatabase(new Blob([dump]));
}

/** Registers beforeAll/afterAll that give the file its own database and a test configuration. */
export function useTestDatabase(envOverrides: Record<string, string | undefined> = {}) {
  const holder: { database: Database } = {} as { database: Database };
  beforeAll(async () => {
    setEnvForTests({ NODE_ENV: "test", WORKERS: "off", RESEND_API_KEY: undefined, MEILI_HOST: undefined, ...envOverrides });
    holder.database = await createTestDatabase();
    useDatabase(holder.database);
  });
  afterAll(async () => {
    await holder.database?.close();
  });
  return holder;
}
