import cliProgress from "cli-progress";
import { openAppDatabase } from "../../app/server/boot.server";
import { currentDatabase } from "../../app/lib/db.server";
import { runningServerAddress } from "../../app/lib/server-address.server";

/** Opens the app's database (migrations and taxonomy included), runs the command, closes, and exits non-zero on failure. */
export async function runCli(main: () => Promise<void>) {
  // Beside a running server on the embedded database, links use the server's address (its PORT / APP_URL).
  if (!process.env.APP_URL && !process.env.DATABASE_URL) {
    const appUrl = runningServerAddress(process.env.DATA_DIR ?? "./.data");
    if (appUrl) process.env.APP_URL = appUrl;
  }
  try {
    await openAppDatabase({ quiet: true });
    await main();
    await currentDatabase()?.close();
    process.exit(0);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    await currentDatabase()
      ?.close()
      .catch(() => {});
    process.exit(1);
  }
}

export function progressBar(label: string) {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
