import { Cron } from "croner";
import { env } from "~/lib/env.server";
import type { DigestFrequency } from "./period";
import { runDigests, type DigestRunResult } from "./digest.server";

const RETRY_MS = 30_000;

/**
 * The digest schedules' firings: every frequency whose schedule fired is due until a run has planned it. Firings
 * that coincide (weekly and daily on Monday 08:00) or arrive while a run is busy — in this process or on another
 * instance, which holds the run lock — wait and are planned together by the next run. Planning is idempotent per
 * (person, period), so a frequency planned by another instance meanwhile costs nothing twice.
 */
export function createDigestFirings(
  options: { run?: (frequencies: DigestFrequency[]) => Promise<DigestRunResult>; retryMs?: number } = {},
) {
  const run = options.run ?? ((frequencies) => runDigests({ trigger: "scheduler", frequencies }));
  const retryMs = options.retryMs ?? RETRY_MS;
  const due = new Set<DigestFrequency>();
  let draining: Promise<void> | undefined;
  let stopped = false;

  async function drain() {
    // Schedules due at the same second fire from separate timers in one turn of the event loop: let them all
    // arrive, so one run plans them together.
    await new Promise((resolve) => setImmediate(resolve));
    while (due.size > 0 && !stopped) {
      const frequencies = [...due];
      try {
        const result = await run(frequencies);
        if (result.ran) {
          for (const frequency of frequencies) due.delete(frequency);
          if (result.sent || result.failed)
            console.log(`[digest ${frequencies.join("+")}] sent ${result.sent}, skipped ${result.skipped}, failed ${result.failed}`);
          continue;
        }
      } catch (error) {
        console.error(`[digest ${frequencies.join("+")}] ${error instanceof Error ? error.message : String(error)}; trying again`);
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }

  return {
    /** Marks a frequency due; the promise settles when every due frequency has been planned (or stop was called). */
    fire(frequency: DigestFrequency): Promise<void> {
      due.add(frequency);
      draining ??= drain().finally(() => (draining = undefined));
      return draining;
    },
    due: () => [...due],
    stop() {
      stopped = true;
    },
  };
}

let jobs: Cron[] = [];
let firings: ReturnType<typeof createDigestFirings> | undefined;

/** Weekly and daily digests on their schedules, plus a retry tick for batches that failed earlier. */
export function startDigestScheduler() {
  const config = env();
  const timezone = config.DIGEST_TIMEZONE;
  const current = createDigestFirings();
  firings = current;
  jobs = [
    new Cron(config.DIGEST_SCHEDULE, { timezone }, () => void current.fire("weekly")),
    new Cron(config.DIGEST_DAILY_SCHEDULE, { timezone }, () => void current.fire("daily")),
    new Cron("*/5 * * * *", { timezone, protect: true }, () => {
      runDigests({ trigger: "scheduler", plan: false }).catch((error) =>
        console.error(`[digest retry] ${error instanceof Error ? error.message : String(error)}`),
      );
    }),
  ];
}

export function stopDigestScheduler() {
  for (const job of jobs) job.stop();
  jobs = [];
  firings?.stop();
  firings = undefined;
}
