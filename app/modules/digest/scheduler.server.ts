import { Cron } from "croner";
import { env } from "~/lib/env.server";
import { runDigests } from "./digest.server";

let jobs: Cron[] = [];

function run(label: string, options: Parameters<typeof runDigests>[0]) {
  runDigests(options)
    .then((result) => {
      if (result.ran && (result.sent || result.failed)) console.log(`[digest ${label}] sent ${result.sent}, skipped ${result.skipped}, failed ${result.failed}`);
    })
    .catch((error) => console.error(`[digest ${label}] ${error instanceof Error ? error.message : String(error)}`));
}

/** Weekly and daily digests on their schedules, plus a retry tick for batches that failed earlier. */
export function startDigestScheduler() {
  const config = env();
  const timezone = config.DIGEST_TIMEZONE;
  jobs = [
    new Cron(config.DIGEST_SCHEDULE, { timezone, protect: true }, () => run("weekly", { trigger: "scheduler", frequencies: ["weekly"] })),
    new Cron(config.DIGEST_DAILY_SCHEDULE, { timezone, protect: true }, () => run("daily", { trigger: "scheduler", frequencies: ["daily"] })),
    new Cron("*/5 * * * *", { timezone, protect: true }, () => run("retry", { trigger: "scheduler", plan: false })),
  ];
}

export function stopDigestScheduler() {
  for (const job of jobs) job.stop();
  jobs = [];
}
