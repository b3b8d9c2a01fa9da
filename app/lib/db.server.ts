import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";

export type Sql = postgres.Sql;
/** A client or an open transaction: queries accept either so callers decide the transaction boundary. */
export type Db = postgres.Sql | postgres.TransactionSql;

export type Database = {
  sql: Sql;
  mode: "postgres" | "embedded";
  /** Where it lives, without a password, for logs and /healthz. */
  description: string;
  close: () => Promise<void>;
};

const silent = () => {};

export class DatabaseUnavailableError extends Error {}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL (PGlite) with its data under dataDir. */
export async function openDatabase(options: {
  url?: string;
  dataDir: string;
  poolMax?: number;
}): Promise<Database> {
  if (options.url) return openServerDatabase(options.url, options.poolMax ?? 10);
  return openEmbeddedDatabase(options.dataDir);
}

async function openServerDatabase(url: string, poolMax: number): Promise<Database> {
  const sql = postgres(url, { max: poolMax, onnotice: silent, connect_timeout: 10 });
  const parsed = new URL(url);
  const description = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  await checkConnection(sql, description);
  return { sql, mode: "postgres", description, close: () => sql.end({ timeout: 5 }) };
}

type EmbeddedLock = { pid: number; port: number };

/**
 * PGlite is one process's database: the first process to open a data dir serves it on a local socket and
 * records the port, and CLI commands started while the server runs connect through that socket instead of
 * opening the files a second time.
 */
async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  const absoluteDir = path.resolve(dataDir);
  const pgDir = path.join(absoluteDir, "pg");
  const lockFile = path.join(absoluteDir, "embedded-server.json");
  fs.mkdirSync(absoluteDir, { recursive: true });

  const running = readLiveLock(lockFile);
  if (running) {
    const sql = postgres({ ...embeddedConnection(running.port), max: 1, onnotice: silent });
    const description = `embedded PostgreSQL served by process ${running.pid} (${pgDir})`;
    await checkConnection(sql, description);
    return { sql, mode: "embedded", description, close: () => sql.end({ timeout: 5 }) };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { unaccent } = await import("@electric-sql/pglite/contrib/unaccent");
  const { citext } = await import("@electric-sql/pglite/contrib/citext");
  const { fuzzystrmatch } = await import("@electric-sql/pglite/contrib/fuzzystrmatch");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");

  const pglite = await PGlite.create({ dataDir: pgDir, extensions: { pg_trgm, unaccent, citext, fuzzystrmatch } });
  // More than one connection, so CLI commands can join while the server holds its own; the socket server
  // queues their messages and keeps a transaction's statements together.
  const server = new PGLiteSocketServer({ db: pglite, port: 0, host: "127.0.0.1", maxConnections: 8 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, port } satisfies EmbeddedLock));

  // postgres.js over the PGlite socket is only reliable with a single connection.
  const sql = postgres({ ...embeddedConnection(port), max: 1, onnotice: silent });
  const description = `embedded PostgreSQL (PGlite) in ${pgDir}`;
  await checkConnection(sql, description);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await sql.end({ timeout: 5 });
    await server.stop();
    await pglite.close();
    const lock = readLock(lockFile);
    if (lock?.pid === process.pid) fs.rmSync(lockFile, { force: true });
  };
  return { sql, mode: "embedded", description, close };
}

/** An in-memory PGlite for tests, optionally restored from a dumped data dir. */
export async function openMemoryDatabase(loadDataDir?: Blob): Promise<Database & { dump: () => Promise<Blob> }> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { unaccent } = await import("@electric-sql/pglite/contrib/unaccent");
  const { citext } = await import("@electric-sql/pglite/contrib/citext");
  const { fuzzystrmatch } = await import("@electric-sql/pglite/contrib/fuzzystrmatch");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const pglite = await PGlite.create({ loadDataDir, extensions: { pg_trgm, unaccent, citext, fuzzystrmatch } });
  const server = new PGLiteSocketServer({ db: pglite, port: 0, host: "127.0.0.1" });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  const sql = postgres({ ...embeddedConnection(port), max: 1, onnotice: silent });
  return {
    sql,
    mode: "embedded",
    description: "embedded PostgreSQL (PGlite, in memory)",
    dump: () => pglite.dumpDataDir("none") as Promise<Blob>,
    close: async () => {
      await sql.end({ timeout: 5 });
      await server.stop();
      await pglite.close();
    },
  };
}

function embeddedConnection(port: number) {
  return { host: "127.0.0.1", port, user: "postgres", password: "postgres", database: "postgres" };
}

function readLock(lockFile: string): EmbeddedLock | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockFile, "utf8")) as EmbeddedLock;
  } catch {
    return undefined;
  }
}

function readLiveLock(lockFile: string): EmbeddedLock | undefined {
  const lock = readLock(lockFile);
  if (!lock || lock.pid === process.pid) return undefined;
  try {
    process.kill(lock.pid, 0);
    return lock;
  } catch {
    return undefined;
  }
}

async function checkConnection(sql: Sql, description: string) {
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(silent);
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnavailableError(`Database unreachable at ${description}: ${reason}`);
  }
}

let current: Database | undefined;

/** The process's one database client. */
export function db(): Sql {
  if (!current) throw new Error("The database is not open: call useDatabase() at start-up.");
  return current.sql;
}

export function currentDatabase(): Database | undefined {
  return current;
}

export function useDatabase(database: Database) {
  current = database;
}
