import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { ResendTransport } from "~/lib/mail-transport.server";
import { failedDigestList, recentDigestRuns, runDigests, type DigestRunResult } from "~/modules/digest/digest.server";
import { processMatchOutbox } from "~/modules/matching/matching.server";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";
import { insertReadyDigests, startInstance } from "./helpers/instances";
import { startResendStandIn, type ResendStandIn } from "./stand-ins/resend";

// Against the LOCAL HTTP STAND-IN for Resend (tests/stand-ins/resend.ts).
const RATE = 20;
const database = useTestDatabase({ APP_URL: "https://nextleipzig.example", RESEND_REQUESTS_PER_SECOND: String(RATE) });

let standIn: ResendStandIn;
let transport: ResendTransport;
beforeAll(async () => {
  standIn = await startResendStandIn({ requestsPerSecond: RATE, apiKey: "re_test_key" });
  transport = new ResendTransport("re_test_key", standIn.url);
});
afterAll(async () => standIn.close());

/** The killed process's connection (and its digest lock) goes away with it; until then a run finds the lock taken. */
async function runOnceTheLockIsFree(): Promise<Extract<DigestRunResult, { ran: true }>> {
  for (;;) {
    const result = await runDigests({ trigger: "test", plan: false, transport });
    if (result.ran) return result;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("digest runs across crashes", () => {
  it("a run killed mid-way (SIGKILL) is closed with what it did, and the run that recovers it reports what it sent", async () => {
    const makers = [];
    for (let i = 0; i < 5; i++) {
      makers.push(
        await createPerson(
          { displayName: `Maker ${i}`, skillsOffered: ["Schweißen"], digestFrequency: "weekly" },
          { email: `killed-${i}@example.org` },
        ),
      );
    }
    const seeker = await createPerson({ displayName: "Sina", skillsSought: ["Schweißen"], digestFrequency: "off" });
    await createTestPost(seeker.id, { kind: "need", title: "Wer schweißt unseren Lastenradrahmen?", skills: "Schweißen" });
    while ((await processMatchOutbox()) > 0);

    // Another instance runs the digests one email per batch and is killed after the provider accepted the third
    // batch, before it recorded it: two sent, one in flight, two not yet sent.
    const instance = startInstance({
      ROLE: "digest-killed",
      KILL_AFTER: "3",
      DATABASE_URL: database.database.url,
      RESEND_BASE_URL: standIn.url,
      RESEND_REQUESTS_PER_SECOND: String(RATE),
      APP_URL: "https://nextleipzig.example",
    });
    try {
      await instance.printed("ready");
      instance.go();
      await instance.printed("accepted 3");
    } finally {
      instance.child.kill("SIGKILL");
    }
    await instance.exited;

    const [killed] = await recentDigestRuns(1);
    // Counts come from the digest rows: the admin page shows what the dead run did even before anyone recovers it.
    expect(killed).toMatchObject({ finished_at: null, planned: 5, sent: 2, failed: 0 });

    const recovery = await runOnceTheLockIsFree();
    expect(recovery).toMatchObject({ planned: 0, sent: 3, failed: 0 });
    const runs = await recentDigestRuns(2);
    expect(runs[1]).toMatchObject({ id: killed!.id, planned: 5, sent: 2 });
    expect(runs[1]!.finished_at).not.toBeNull();
    expect(runs[1]!.error).toMatch(/^interrupted: .*run #\d+ carried on/);
    expect(runs[0]).toMatchObject({ id: recovery.runId, planned: 0, sent: 3, error: null });
    // the stored counts agree with the live ones
    const stored = await db()`select id, planned, sent, skipped, failed from digest_runs order by id`;
    expect(stored.map((run) => ({ ...run }))).toEqual([
      { id: killed!.id, planned: 5, sent: 2, skipped: 0, failed: 0 },
      { id: recovery.runId, planned: 0, sent: 3, skipped: 0, failed: 0 },
    ]);

    // each person got exactly one digest: the batch in flight was sent again with its key and replayed
    for (const maker of makers) expect(standIn.delivered.filter((entry) => entry.to === maker.email)).toHaveLength(1);
    const rows = await db()<{ status: string; last_error: string | null }[]>`select status, last_error from digests`;
    expect(rows).toEqual(Array.from({ length: 5 }, () => ({ status: "sent", last_error: null })));
  });

  it("a batch retried after a crash keeps its last error, so the admin page shows why it is being retried", async () => {
    const [address] = await insertReadyDigests(1, "retried");
    standIn.failNext({ status: 500 });
    await runDigests({ trigger: "test", plan: false, transport });
    const failedFirst = (await failedDigestList()).find((entry) => entry.status === "sending");
    expect(failedFirst?.last_error).toMatch(/\(500\)/);

    // the retry is claimed and accepted by the provider, then the process dies before it records the answer
    await db()`update digests set next_attempt_at = now() where to_address = ${address!}`;
    let duringRetry: string | null | undefined;
    const crashed = runDigests({
      trigger: "test",
      plan: false,
      transport,
      afterProviderAccepted: async () => {
        duringRetry = (await failedDigestList()).find((entry) => entry.id === failedFirst?.id)?.last_error;
        throw new Error("simulated crash");
      },
    });
    await expect(crashed).rejects.toThrow("simulated crash");
    expect(duringRetry).toMatch(/\(500\)/);
    const [afterCrash] = await db()<{ status: string; last_error: string | null; attempts: number }[]>`
      select status, last_error, attempts from digests where to_address = ${address!}`;
    expect(afterCrash).toMatchObject({ status: "sending", attempts: 2 });
    expect(afterCrash!.last_error).toMatch(/\(500\)/);
    expect((await failedDigestList()).map((entry) => entry.last_error)).toContainEqual(expect.stringMatching(/\(500\)/));

    // the next run picks the batch up at once and sends it; now the error is gone
    const next = await runDigests({ trigger: "test", plan: false, transport });
    expect(next).toMatchObject({ ran: true, sent: 1 });
    const [sent] = await db()<
      { status: string; last_error: string | null }[]
    >`select status, last_error from digests where to_address = ${address!}`;
    expect(sent).toEqual({ status: "sent", last_error: null });
    expect(standIn.delivered.filter((entry) => entry.to === address)).toHaveLength(1);
  });

  it("a batch in flight when its run died, without an earlier error, says it was interrupted while it is retried", async () => {
    const [address] = await insertReadyDigests(1, "interrupted");
    const crashed = runDigests({
      trigger: "test",
      plan: false,
      transport,
      afterProviderAccepted: () => {
        throw new Error("simulated crash");
      },
    });
    await expect(crashed).rejects.toThrow("simulated crash");
    let duringRetry: string | null | undefined;
    const next = await runDigests({
      trigger: "test",
      plan: false,
      transport,
      afterProviderAccepted: async () => {
        [{ last_error: duringRetry }] = await db()<
          [{ last_error: string | null }]
        >`select last_error from digests where to_address = ${address!}`;
      },
    });
    expect(duringRetry).toMatch(/^interrupted: run #\d+ stopped while sending this batch$/);
    expect(next).toMatchObject({ ran: true, sent: 1 });
    const [row] = await db()<
      { status: string; last_error: string | null }[]
    >`select status, last_error from digests where to_address = ${address!}`;
    expect(row).toEqual({ status: "sent", last_error: null });
  });
});
