import crypto from "node:crypto";
import { db } from "~/lib/db.server";
import { LOCK, trySessionLock } from "~/lib/locks.server";
import { env } from "~/lib/env.server";
import type { Locale } from "~/lib/i18n";
import type { MailTransport, OutgoingEmail } from "~/lib/mail-transport.server";
import { renderDigestEmail } from "~/emails/digest";
import { mailPacer, mailTransport, transactionalMailWaiting } from "~/modules/mail/mail.server";
import { countNewMatchesForUser, newMatchesForUser, type UserMatch } from "~/modules/matching/matching.server";
import { describeReason } from "~/modules/matching/reasons";
import { periodKey, type DigestFrequency } from "./period";
import * as queries from "./queries.server";
import { unsubscribeUrl } from "./unsubscribe-token.server";
import { isId } from "~/lib/ids";
import { coversOfPosts } from "~/modules/images/images.server";
import { sourceFor, type ImageView } from "~/modules/images/types";

export const DIGEST_TOP_MATCHES = 10;

/** Width of a post's cover in the email (its 320 px variant, sharp on high-density screens). */
const COVER_WIDTH = 120;

/** A match as the email template needs it: plain data, the reason written in the reader's language. */
function digestLine(match: UserMatch, locale: Locale, cover: ImageView | undefined, appUrl: string) {
  return {
    image: cover
      ? { url: `${appUrl}${sourceFor(cover, 320).url}`, width: COVER_WIDTH, height: Math.round((COVER_WIDTH * cover.height) / cover.width) }
      : null,
    group: match.group,
    title: match.other.title,
    path: match.other.path,
    mutual: match.mutual,
    reason: describeReason(match.reason, locale, match.mine.side),
    minePostTitle: match.mine.postId ? (match.mine.title ?? "") : null,
    alsoVia: match.alsoVia.map((way) => ({ kind: way.kind, title: way.title })),
  };
}
export const DIGEST_BATCH_SIZE = 100;
const BUILD_CHUNK = 100;
const BUILD_CONCURRENCY = 8;
const MAX_ATTEMPTS = 6;
/** Rate-limit answers in a row after which a run stops and leaves the batch to the retry timer. */
const MAX_RATE_LIMITED_IN_A_ROW = 5;

export type DigestContent = { subject: string; html: string; text: string; headers: Record<string, string>; matchCount: number };

/** The digest a person gets for the matches first seen in (since, until]; undefined when nothing is new. */
export async function composeDigest(
  person: { id: string; locale: Locale; display_name: string },
  window: { since: Date | null; until: Date },
): Promise<DigestContent | undefined> {
  const lookAhead = DIGEST_TOP_MATCHES * 5;
  const candidates = await newMatchesForUser(person.id, window.since, lookAhead);
  const allInWindow = candidates.filter((match) => new Date(match.firstSeenAt) <= window.until);
  const inWindow = allInWindow.slice(0, DIGEST_TOP_MATCHES);
  if (inWindow.length === 0) return undefined;
  // Counting is only needed when the look-ahead was full; otherwise the list is complete.
  const total =
    candidates.length < lookAhead
      ? allInWindow.length
      : (await countNewMatchesForUser(person.id, window.since)) - (await countNewMatchesForUser(person.id, window.until));
  const unsubscribe = unsubscribeUrl(person.id);
  const covers = await coversOfPosts(inWindow.filter((match) => match.other.kind === "post").map((match) => match.other.id));
  const appUrl = env().APP_URL;
  const content = renderDigestEmail({
    locale: person.locale,
    name: person.display_name,
    matches: inWindow.map((match) =>
      digestLine(match, person.locale, match.other.kind === "post" ? covers.get(match.other.id) : undefined, appUrl),
    ),
    total: Math.max(total, inWindow.length),
    appUrl: env().APP_URL,
    unsubscribeUrl: unsubscribe,
  });
  return {
    ...content,
    matchCount: Math.max(total, inWindow.length),
    headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

export function batchKeyFor(ids: string[]) {
  return `digest-batch-${crypto
    .createHash("sha256")
    .update([...ids].sort().join(","))
    .digest("hex")
    .slice(0, 40)}`;
}

export type DigestRunOptions = {
  trigger: "scheduler" | "cli" | "admin" | "bench" | "test";
  /** false: only deliver what earlier runs planned (the retry timer). */
  plan?: boolean;
  frequencies?: DigestFrequency[];
  now?: Date;
  transport?: MailTransport;
  /** The shared pacer's rate for this run's requests (default RESEND_REQUESTS_PER_SECOND). */
  requestsPerSecond?: number;
  /** Emails per batch request (default and maximum: 100); smaller only in tests and benchmarks. */
  batchSize?: number;
  onProgress?: (progress: { planned: number; sent: number; skipped: number; failed: number }) => void;
  /** Test hook: called after the provider accepted a batch and before the database records it. */
  afterProviderAccepted?: (batchKey: string) => void | Promise<void>;
};

export type DigestRunResult =
  | { ran: true; runId: string; planned: number; sent: number; skipped: number; failed: number; stoppedBy?: string; quotaUsedUp?: boolean }
  | { ran: false; reason: "locked" };

/**
 * One digest run: plan (person, period) rows, render them chunk by chunk just ahead of the sender, and send in
 * batches of 100 at the provider's rate. Only one runner at a time (advisory lock); a crash at any point leaves
 * rows whose status says what is left, and the next run finishes them without sending anyone a digest twice.
 */
export async function runDigests(options: DigestRunOptions): Promise<DigestRunResult> {
  const lock = await acquireDigestLock();
  if (!lock) return { ran: false, reason: "locked" };
  const config = env();
  const now = options.now ?? new Date();
  const frequencies = options.frequencies ?? ["weekly", "daily"];
  const sql = db();
  const runId = await queries.insertRun(sql, options.trigger, frequencies);
  // Holding the lock, this is the only live run: an unfinished older one died mid-way. It is closed with the counts
  // of what it did (taken from the digest rows), and this run carries on with what it left.
  await queries.closeInterruptedRuns(sql, runId);
  let error: string | null = null;
  let stopReason: "quota" | null = null;
  try {
    for (const frequency of options.plan === false ? [] : frequencies) {
      await queries.planDigests(sql, { runId, frequency, period: periodKey(now, frequency, config.DIGEST_TIMEZONE), until: now });
    }
    const sent = await sendDigests({ ...options, runId });
    error = sent.stoppedBy ?? null;
    stopReason = sent.quotaUsedUp ? "quota" : null;
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
    throw failure;
  } finally {
    const outcome = await queries.countRunOutcome(sql, runId);
    await queries.finishRun(sql, runId, outcome, error, stopReason).catch(() => {});
    await lock.release();
  }
  return {
    ran: true,
    runId,
    ...(await queries.countRunOutcome(sql, runId)),
    ...(error ? { stoppedBy: error } : {}),
    ...(stopReason === "quota" ? { quotaUsedUp: true } : {}),
  };
}

async function sendDigests(options: DigestRunOptions & { runId: string }): Promise<{ stoppedBy?: string; quotaUsedUp?: boolean }> {
  const sql = db();
  const { runId } = options;
  const transport = options.transport ?? mailTransport();
  // Resend's limit is per team: every instance's requests go through the one pacer kept in PostgreSQL, and the
  // digests leave the slots to sign-in links and other transactional mail while such mail is waiting.
  const pacer = transport.name === "resend" ? mailPacer(options.requestsPerSecond) : undefined;
  const batchSize = Math.min(DIGEST_BATCH_SIZE, options.batchSize ?? DIGEST_BATCH_SIZE);
  const from = env().MAIL_FROM;
  const counts = { planned: 0, sent: 0, skipped: 0, failed: 0 };
  let rateLimitedInARow = 0;

  // Rendering the next batch overlaps the wait for the provider's next request slot.
  let renderingAhead: Promise<void> = renderUntilReady(runId, 2 * batchSize, counts);
  for (;;) {
    let batch: queries.DigestRow[] | undefined = await queries.reclaimSendingBatch(sql, runId);
    if (!batch) {
      await renderingAhead;
      batch = await queries.claimReadyBatch(sql, runId, batchSize, batchKeyFor);
      renderingAhead = renderUntilReady(runId, batchSize, counts);
    }
    const first = batch?.[0];
    if (!batch || !first) break;
    const batchKey = first.batch_key as string;
    const emails: OutgoingEmail[] = batch.map((digest) => ({
      idempotencyKey: `digest-${digest.id}`,
      from,
      to: digest.to_address as string,
      subject: digest.subject as string,
      html: digest.html as string,
      text: digest.text as string,
      headers: digest.headers ?? {},
    }));

    await pacer?.takeBulkSlot(transactionalMailWaiting);
    const result = await transport.sendBatch(emails, batchKey);
    rateLimitedInARow = !result.ok && result.retryAfterSeconds !== undefined ? rateLimitedInARow + 1 : 0;
    if (result.ok) {
      await options.afterProviderAccepted?.(batchKey);
      const rejectedAt = new Map(result.rejected.map((entry) => [entry.index, entry.error]));
      const accepted = batch.flatMap((digest, index) =>
        rejectedAt.has(index) ? [] : [{ id: digest.id, providerId: result.providerIds[index] ?? null }],
      );
      const rejected = batch.flatMap((digest, index) =>
        rejectedAt.has(index) ? [{ id: digest.id, error: rejectedAt.get(index) as string }] : [],
      );
      await queries.recordBatchAccepted(sql, runId, batchKey, accepted, rejected);
      counts.sent += accepted.length;
      counts.failed += rejected.length;
    } else if (result.quota) {
      // The quota renews at midnight UTC: the batch waits until then, costs no attempt, and the run stops and
      // says why (shown on /admin/digests) instead of asking again and again.
      await queries.postponeBatchUntil(sql, batchKey, result.error, nextUtcMidnight(new Date()));
      await renderingAhead;
      return { stoppedBy: `Sending quota used up; the remaining digests go out after midnight UTC (${result.error})`, quotaUsedUp: true };
    } else if (result.retryAfterSeconds !== undefined) {
      // Rate limited: the same batch goes again with the same key once the provider allows it.
      await pacer?.holdOff(result.retryAfterSeconds);
      await queries.postponeBatchUntil(sql, batchKey, result.error, new Date());
      // Someone else uses up the team's rate (another app on the same Resend team?): stop rather than hold the
      // digest lock asking; the retry timer carries on, and the 429s cost no attempt.
      if (rateLimitedInARow >= MAX_RATE_LIMITED_IN_A_ROW) {
        await renderingAhead;
        return { stoppedBy: `Rate limited ${rateLimitedInARow} times in a row; the retry timer carries on (${result.error})` };
      }
    } else {
      const attempts = Math.max(...batch.map((digest) => digest.attempts));
      const giveUp = result.permanent || attempts >= MAX_ATTEMPTS;
      await queries.markBatchRetry(sql, runId, batchKey, result.error, giveUp ? null : Math.min(3600, 30 * 2 ** attempts));
      if (giveUp) counts.failed += batch.length;
      // A provider that is down fails every batch: stop, the next run (or the retry timer) carries on.
      if (!giveUp) break;
    }
    options.onProgress?.(counts);
  }
  await renderingAhead;
  return {};
}

function nextUtcMidnight(now: Date) {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 5));
}

/** Renders planned digests until at least `wanted` are ready or none are planned; nothing new → skipped. */
async function renderUntilReady(runId: string, wanted: number, counts: { skipped: number }) {
  let rendered = 0;
  while (rendered < wanted) {
    const planned = await queries.nextPlannedDigests(db(), BUILD_CHUNK);
    if (planned.length === 0) break;
    const ready: Parameters<typeof queries.markDigestsReady>[1] = [];
    const skipped: string[] = [];
    for (let index = 0; index < planned.length; index += BUILD_CONCURRENCY) {
      const slice = planned.slice(index, index + BUILD_CONCURRENCY);
      const contents = await Promise.all(
        slice.map((digest) =>
          composeDigest(
            { id: digest.user_id, locale: digest.locale, display_name: digest.display_name },
            { since: digest.since, until: digest.until },
          ),
        ),
      );
      slice.forEach((digest, position) => {
        const content = contents[position];
        if (content) ready.push({ id: digest.id, to: digest.email, ...content });
        else skipped.push(digest.id);
      });
    }
    await queries.markDigestsReady(db(), ready);
    await queries.markDigestsSkipped(db(), runId, skipped);
    rendered += ready.length;
    counts.skipped += skipped.length;
  }
}

/**
 * Only one runner at a time across processes: a session advisory lock on a connection of its own (rows are
 * claimed with SKIP LOCKED as well, so a batch is never sent twice).
 */
async function acquireDigestLock() {
  return trySessionLock(db(), LOCK.digestRun);
}

/** Admin preview: the digest a person would get if a run happened at `at`. */
export async function previewDigest(userId: string, at: Date) {
  if (!isId(userId)) return undefined;
  const person = await queries.personForDigest(db(), userId);
  if (!person) return undefined;
  const since = await queries.lastDigestUntil(db(), userId, at);
  const content = await composeDigest(person, { since, until: at });
  return { person: { id: person.id, name: person.display_name, frequency: person.digest_frequency }, since, content };
}

export async function findUserIdForPreview(value: string) {
  if (isId(value)) return value;
  return queries.findUserIdByEmail(db(), value.trim().toLowerCase());
}

export const recentDigestRuns = (limit = 20) => queries.recentRuns(db(), limit);
export const failedDigestList = (limit = 50) => queries.failedDigests(db(), limit);

export async function setDigestFrequencyFor(userId: string, frequency: "weekly" | "daily" | "off") {
  return queries.setDigestFrequency(db(), userId, frequency);
}

export { queries as digestQueries };
