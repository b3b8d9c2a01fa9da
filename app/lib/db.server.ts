import postgres from "postgres";
import { applicationName, EmbeddedDatabaseError, openEmbeddedCluster, type EmbeddedRole } from "./embedded-postgres.server";
import { timedSql } from "./request-timing.server";

export type Sql = postgres.Sql;
/** A client or an open transaction: queries accept either so callers decide the transaction boundary. */
export type Db = postgres.Sql | postgres.TransactionSql;

export type Database = {
  sql: Sql;
  /** "embedded": the server under DATA_DIR that the app starts itself; "postgres": DATABASE_URL. Same SQL either way. */
  mode: "postgres" | "embedded";
  /** Where it lives, without a password, for logs and /healthz. */
  description: string;
  close: () => Promise<void>;
};

const silent = () => {};

export class DatabaseUnavailableError extends Error {}

/**
 * Connects to DATABASE_URL, or to the embedded PostgreSQL server with its cluster under dataDir (started when none
 * runs, joined when the server or another command already runs it). Both are the same PostgreSQL: one code path.
 */
export async function openDatabase(options: {
  url?: string;
  dataDir: string;
  poolMax?: number;
  role?: EmbeddedRole;
  /** time every statement for the current request (REQUEST_TIMING=on, see request-timing.server.ts) */
  timed?: boolean;
}): Promise<Database> {
  const poolMax = options.poolMax ?? 10;
  const pool = (url: string) => (options.timed ? timedSql(connect(url, poolMax)) : connect(url, poolMax));
  if (options.url) {
    const parsed = new URL(options.url);
    const description = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
    const sql = pool(options.url);
    await checkConnection(sql, description);
    return { sql, mode: "postgres", description, close: () => sql.end({ timeout: 5 }) };
  }
  let cluster;
  try {
    cluster = await openEmbeddedCluster(options.dataDir, options.role ?? "cli");
  } catch (error) {
    if (error instanceof EmbeddedDatabaseError) throw new DatabaseUnavailableError(error.message);
    throw error;
  }
  const description = `embedded PostgreSQL on 127.0.0.1:${cluster.port} (${cluster.clusterDir})`;
  const sql = pool(cluster.url);
  await checkConnection(sql, description);
  let closed = false;
  return {
    sql,
    mode: "embedded",
    description,
    close: async () => {
      if (closed) return;
      closed = true;
      await cluster.release(sql);
    },
  };
}

/**
 * One pool; every connection names this process, so the embedded server can tell who still uses it.
 * Plans are made for each statement's actual values: postgres.js prepares statements, and after five runs
 * PostgreSQL may switch to a generic plan that cannot use the trigram or prefix indexes for a parameter it does not
 * know (a suggestion as you type went from 4 ms to a sequential scan of all labels).
 */
export function connect(url: string, poolMax: number): Sql {
  return postgres(url, {
    max: poolMax,
    onnotice: silent,
    connect_timeout: 10,
    connection: { application_name: applicationName(), plan_cache_mode: "force_custom_plan" },
  });
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

// Kept on globalThis: under `npm run dev`, Vite may load this module again after an edit, and the open database
// must survive that.
const holder = globalThis as typeof globalThis & { __nextleipzigDatabase?: Database };

/** The process's one database client. */
export function db(): Sql {
  if (!holder.__nextleipzigDatabase) throw new Error("The database is not open: call useDatabase() at start-up.");
  return holder.__nextleipzigDatabase.sql;
}

export function currentDatabase(): Database | undefined {
  return holder.__nextleipzigDatabase;
}

export function useDatabase(database: Database | undefined) {
  holder.__nextleipzigDatabase = database;
}
