import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { LOCK } from "~/lib/locks.server";
import { runDigests } from "~/modules/digest/digest.server";
import { createDigestFirings } from "~/modules/digest/scheduler.server";
import { processMatchOutbox } from "~/modules/matching/matching.server";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";

useTestDatabase();

async function peopleWithNewMatches() {
  const weekly = await createPerson({ displayName: "Wera Wöchentlich", skillsOffered: ["Schweißen"], digestFrequency: "weekly" });
  const daily = await createPerson({ displayName: "Dana Daily", skillsOffered: ["Schweißen"], digestFrequency: "daily" });
  const seeker = await createPerson({ displayName: "Sören Sucher", skillsSought: ["Schweißen"], digestFrequency: "off" });
  await createTestPost(seeker.id, { kind: "need", title: "Wer schweißt unseren Lastenradrahmen?", skills: "Schweißen" });
  while ((await processMatchOutbox()) > 0);
  return { weekly, daily };
}

describe("digest schedules", () => {
  it("weekly and daily firing at the same instant while another instance runs: both are planned once it is done", async () => {
    const { weekly, daily } = await peopleWithNewMatches();
    // another instance holds the run lock
    const other = await db().reserve();
    await other`select pg_advisory_lock(${LOCK.digestRun})`;
    const attempts: string[][] = [];
    const firings = createDigestFirings({
      retryMs: 20,
      run: async (frequencies) => {
        attempts.push(frequencies);
        const result = await runDigests({ trigger: "test", frequencies });
        if (attempts.length === 2) {
          // the other instance finishes its run after our second attempt
          await other`select pg_advisory_unlock(${LOCK.digestRun})`;
          other.release();
        }
        return result;
      },
    });
    const done = Promise.all([firings.fire("weekly"), firings.fire("daily")]);
    await done;
    expect(firings.due()).toEqual([]);
    // the two firings were planned together by one run that waited for the lock
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.every((frequencies) => [...frequencies].sort().join() === "daily,weekly")).toBe(true);
    const planned = await db()<{ user_id: string; frequency: string }[]>`select user_id::text, frequency from digests order by frequency`;
    expect(planned).toEqual(
      expect.arrayContaining([
        { user_id: weekly.id, frequency: "weekly" },
        { user_id: daily.id, frequency: "daily" },
      ]),
    );
    const [run] = await db()<{ frequencies: string[] }[]>`select frequencies from digest_runs where planned > 0`;
    expect([...run!.frequencies].sort()).toEqual(["daily", "weekly"]);
  });

  it("a firing that arrives while its own process runs is planned by the next run, not dropped", async () => {
    const calls: string[][] = [];
    let release: () => void = () => {};
    const firstRunBusy = new Promise<void>((resolve) => (release = resolve));
    const firings = createDigestFirings({
      retryMs: 1,
      run: async (frequencies) => {
        calls.push(frequencies);
        if (calls.length === 1) await firstRunBusy;
        return { ran: true, runId: String(calls.length), planned: 0, sent: 0, skipped: 0, failed: 0 };
      },
    });
    const first = firings.fire("weekly");
    while (calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = firings.fire("daily"); // arrives while the weekly run is busy
    release();
    await Promise.all([first, second]);
    expect(calls).toEqual([["weekly"], ["daily"]]);
  });
});
