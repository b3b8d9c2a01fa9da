// npm run digest:send [-- --frequency weekly|daily] — one digest run for an external cron. Safe to start twice:
// only one runner works at a time, and a (person, period) digest is never sent twice.
import { runDigests } from "../app/modules/digest/digest.server";
import { progressBar, runCli } from "./lib/cli";

const flag = process.argv.indexOf("--frequency");
const frequency = flag >= 0 ? process.argv[flag + 1] : undefined;

await runCli(async () => {
  if (frequency && frequency !== "weekly" && frequency !== "daily") throw new Error("--frequency must be weekly or daily");
  const bar = progressBar("Sending digests");
  let total = 0;
  const result = await runDigests({
    trigger: "cli",
    frequencies: frequency ? [frequency as "weekly" | "daily"] : undefined,
    onProgress: (counts) => {
      total = Math.max(total, counts.sent + counts.skipped + counts.failed);
      bar.update(counts.sent + counts.skipped + counts.failed, total);
    },
  });
  bar.stop();
  if (!result.ran) {
    console.log("Another digest run is in progress; nothing to do.");
    return;
  }
  console.log(
    `Digest run ${result.runId}: ${result.planned} planned, ${result.sent} sent, ${result.skipped} skipped (nothing new), ${result.failed} failed.`,
  );
});
