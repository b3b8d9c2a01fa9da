import { startWorker } from "./jobs.server";
import { deliverDueEmails } from "~/modules/mail/mail.server";

/** Every background worker of the server process. */
export function startBackgroundWorkers() {
  startWorker({ name: "mail", runOnce: () => deliverDueEmails(20), idleMs: 2000 });
}
