import { startWorker } from "~/lib/jobs.server";
import { deliverDueEmails } from "~/modules/mail/mail.server";
import { runMeilisearchWorkerOnce, runSearchWorkerOnce } from "~/modules/search/search.server";
import { processMatchOutbox } from "~/modules/matching/matching.server";
import { startDigestScheduler } from "~/modules/digest/scheduler.server";

/** Every background worker of the server process. */
export function startBackgroundWorkers() {
  startWorker({ name: "mail", runOnce: () => deliverDueEmails(20), idleMs: 2000 });
  startWorker({ name: "search", runOnce: runSearchWorkerOnce, idleMs: 1000 });
  // Its own worker and queue: a Meilisearch that is down or slow never holds up the embedded index.
  startWorker({ name: "search-meili", runOnce: runMeilisearchWorkerOnce, idleMs: 1000 });
  startWorker({ name: "match", runOnce: () => processMatchOutbox(), idleMs: 1000 });
  startDigestScheduler();
}
