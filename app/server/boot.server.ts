import { currentDatabase, DatabaseUnavailableError, openDatabase, useDatabase, type Database } from "~/lib/db.server";
import { env, type Env } from "~/lib/env.server";
import { migrate, MigrationError } from "~/lib/migrations.server";
import { forgetServerAddress, recordServerAddress, runningServerAddress } from "~/lib/server-address.server";
import { loadTaxonomySeed } from "~/modules/skills/taxonomy-seed.server";
import { startBackgroundWorkers } from "./workers.server";
import { stopWorkers } from "~/lib/jobs.server";
import { stopDigestScheduler } from "~/modules/digest/scheduler.server";
import { seedDemo, shouldSeedDemoOnFirstStart } from "~/modules/demo/demo.server";
import { followSearchChanges } from "~/modules/search/engines/embedded/engine.server";

export type BootOptions = {
  workers?: boolean;
  quiet?: boolean;
  /** Who opens the embedded database: a second "server" on the same DATA_DIR is refused, commands join. */
  role?: "server" | "cli";
  afterMigrate?: (database: Database, config: Env) => Promise<void>;
};

function log(quiet: boolean | undefined, message: string) {
  if (!quiet) console.log(message);
}

/**
 * Opens the database, applies migrations and the taxonomy seed; every process (server and CLI) starts here.
 * Expected failures (configuration, unreachable database, a refused migration) print one line and exit 1.
 */
export async function openAppDatabase(options: BootOptions = {}): Promise<Database> {
  const existing = currentDatabase();
  if (existing) return existing;
  const config = env();
  const serverBeside = !config.DATABASE_URL && options.role === "server" ? runningServerAddress(config.DATA_DIR) : undefined;
  if (serverBeside) {
    console.error(
      `${config.DATA_DIR} is in use by the NextLeipzig server at ${serverBeside}; stop it first or set DATA_DIR to another folder.`,
    );
    process.exit(1);
  }
  try {
    const database = await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolMax: config.DATABASE_POOL_MAX,
      role: options.role ?? "cli",
      timed: config.REQUEST_TIMING === "on",
    });
    useDatabase(database);
    log(options.quiet, `Database: ${database.description}`);
    const applied = await migrate(database.sql, { onApply: (name) => log(options.quiet, `Applying migration ${name}`) });
    if (applied.length) log(options.quiet, `Applied ${applied.length} migration(s).`);
    const seeded = await loadTaxonomySeed(database.sql);
    if (seeded.loaded) log(options.quiet, `Loaded skills taxonomy: ${seeded.skills} skills, ${seeded.labels} labels.`);
    await options.afterMigrate?.(database, config);
    return database;
  } catch (error) {
    if (error instanceof DatabaseUnavailableError || error instanceof MigrationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** On the embedded defaults a newcomer's first start shows a living city, unless DEMO_DATA=off. */
async function seedDemoOnFirstEmbeddedStart(database: Database, quiet?: boolean) {
  if (database.mode !== "embedded" || env().DEMO_DATA === "off") return;
  if (!(await shouldSeedDemoOnFirstStart())) return;
  log(quiet, "First start: adding demo content for Leipzig (set DEMO_DATA=off to skip, npm run demo:clear to remove) …");
  const started = Date.now();
  const result = await seedDemo();
  log(quiet, `Demo content ready: ${result.people} people, ${result.posts} posts (${((Date.now() - started) / 1000).toFixed(1)} s).`);
}

/** The server process: database, then the workers that follow the outbox tables. */
export async function startServices(options: BootOptions = {}) {
  const database = await openAppDatabase({ role: "server", ...options });
  await seedDemoOnFirstEmbeddedStart(database, options.quiet);
  // Totals of broad searches are kept per process; writes anywhere tell every instance to forget them.
  const stopFollowingSearchChanges = await followSearchChanges(database.sql);
  if ((options.workers ?? true) && env().WORKERS === "on") startBackgroundWorkers();
  const dataDir = env().DATA_DIR;
  return {
    database,
    /** Called once the server listens: commands started beside it on the embedded database use its address. */
    announce(appUrl: string) {
      if (database.mode === "embedded") recordServerAddress(dataDir, appUrl);
    },
    async stop() {
      stopDigestScheduler();
      await stopWorkers();
      await stopFollowingSearchChanges();
      forgetServerAddress(dataDir);
      await database.close();
    },
  };
}
