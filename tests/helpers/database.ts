import crypto from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { connect, useDatabase, type Database } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";

/** A database of its own for one test file, copied from the template prepared in global-setup. */
export async function createTestDatabase(): Promise<Database & { url: string }> {
  const url = inject("serverUrl");
  const template = inject("templateDatabase");
  const name = `nl_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${template}`);
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const sql = connect(testUrl.toString(), 5);
  return {
    sql,
    url: testUrl.toString(),
    mode: "postgres",
    description: name,
    close: async () => {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const NO_OBJECT_STORE = { S3_ENDPOINT: undefined, S3_BUCKET: undefined, S3_ACCESS_KEY_ID: undefined, S3_SECRET_ACCESS_KEY: undefined };

/** Registers beforeAll/afterAll that give the file its own database and a test configuration. */
export function useTestDatabase(envOverrides: Record<string, string | undefined> = {}) {
  const holder: { database: Database & { url: string } } = {} as { database: Database & { url: string } };
  beforeAll(async () => {
    // external services only where a test names them (the live suites read process.env themselves)
    setEnvForTests({
      NODE_ENV: "test",
      WORKERS: "off",
      RESEND_API_KEY: undefined,
      MEILI_HOST: undefined,
      ...NO_OBJECT_STORE,
      ...envOverrides,
    });
    holder.database = await createTestDatabase();
    useDatabase(holder.database);
  });
  afterAll(async () => {
    await holder.database?.close();
  });
  return holder;
}
