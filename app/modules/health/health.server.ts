import { currentDatabase } from "~/lib/db.server";
import { runningWorkers } from "~/lib/jobs.server";
import { mailTransport } from "~/modules/mail/mail.server";
import { outboxBacklog } from "~/modules/outbox/outbox.server";
import { configuredEngineName, searchHealth } from "~/modules/search/search.server";

type Check = { ok: boolean; [detail: string]: unknown };

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function databaseCheck(): Promise<Check> {
  const database = currentDatabase();
  if (!database) return { ok: false, error: "not open" };
  const started = Date.now();
  try {
    await withTimeout(database.sql`select 1`, 2000);
    return { ok: true, mode: database.mode, latency_ms: Date.now() - started };
  } catch (error) {
    return { ok: false, mode: database.mode, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Database state decides the status code; the other parts are reported so an operator sees them degrade. */
export async function healthReport() {
  const database = await databaseCheck();
  let outbox: unknown = null;
  if (database.ok) outbox = await withTimeout(outboxBacklog(), 2000).catch(() => null);
  return {
    ok: database.ok,
    database,
    mail: { ok: true, transport: mailTransport().name },
    search: await withTimeout(searchHealth(), 3000).catch((error: unknown) => ({
      engine: configuredEngineName(),
      ok: false,
      degraded: true,
      error: error instanceof Error ? error.message : String(error),
    })),
    workers: runningWorkers(),
    outbox,
  };
}
