import type { Db, Sql } from "~/lib/db.server";

export type DigestRow = {
  id: string;
  user_id: string;
  period: string;
  frequency: "weekly" | "daily";
  since: Date | null;
  until: Date;
  status: string;
  to_address: string | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  headers: Record<string, string> | null;
  batch_key: string | null;
  attempts: number;
};

export async function insertRun(sql: Db, trigger: string, frequencies: string[]) {
  const [row] = await sql<[{ id: string }]>`
    insert into digest_runs (trigger, frequencies) values (${trigger}, ${frequencies}) returning id`;
  return row.id;
}

/**
 * Runs left unfinished by a process that died (the caller holds the digest lock, so no other run is alive): closed
 * with the counts of what they did, taken from the digest rows, and an error that says what happened.
 */
export async function closeInterruptedRuns(sql: Db, currentRunId: string) {
  await sql`
    update digest_runs r set finished_at = now(), planned = c.planned, sent = c.sent, skipped = c.skipped, failed = c.failed,
           error = coalesce(r.error || '; ', '') || 'interrupted: the process stopped before the run finished; run #' || ${currentRunId}::text || ' carried on'
    from (${runCounts(sql)}) c
    where c.run_id = r.id and r.finished_at is null and r.id <> ${currentRunId}`;
}

/** Per run: the digests it planned, and those it settled as sent, skipped or failed. */
function runCounts(sql: Db) {
  return sql`
    select r.id as run_id,
           (select count(*) from digests d where d.run_id = r.id)::int as planned,
           coalesce(s.sent, 0)::int as sent, coalesce(s.skipped, 0)::int as skipped, coalesce(s.failed, 0)::int as failed
    from digest_runs r
    left join lateral (
      select count(*) filter (where status = 'sent') as sent,
             count(*) filter (where status = 'skipped') as skipped,
             count(*) filter (where status = 'failed') as failed
      from digests d where d.settled_run_id = r.id
    ) s on true`;
}

export async function finishRun(
  sql: Db,
  runId: string,
  counts: { planned: number; sent: number; skipped: number; failed: number },
  error: string | null,
  stopReason: "quota" | null = null,
) {
  await sql`
    update digest_runs set finished_at = now(), planned = ${counts.planned}, sent = ${counts.sent},
           skipped = ${counts.skipped}, failed = ${counts.failed}, error = ${error}, stop_reason = ${stopReason}
    where id = ${runId}`;
}

/**
 * Plans one digest per person with this frequency for the period, in one statement: an existing (person,
 * period) row is kept as it is, so a second run or a restart never plans a person twice. "since" is the end of
 * the person's previous digest.
 */
export async function planDigests(sql: Db, input: { runId: string; frequency: string; period: string; until: Date }) {
  const rows = await sql`
    insert into digests (user_id, period, frequency, run_id, since, until)
    select p.user_id, ${input.period}, ${input.frequency}, ${input.runId}, previous.until, ${input.until}
    from profiles p
    join users u on u.id = p.user_id
    left join (
      select user_id, max(until) as until from digests where status in ('sent', 'skipped') group by user_id
    ) previous on previous.user_id = p.user_id
    where p.digest_frequency = ${input.frequency} and u.banned_at is null and not u.is_demo
    on conflict (user_id, period) do nothing
    returning id`;
  return rows.length;
}

/**
 * The next planned digests to render, oldest first. Not locked: rendering reads matches over the pool, and
 * markDigestReady only changes a row that is still "planned".
 */
export async function nextPlannedDigests(sql: Db, limit: number) {
  return sql<(DigestRow & { email: string; locale: "de" | "en"; display_name: string })[]>`
    select d.id, d.user_id, d.period, d.frequency, d.since, d.until, d.status, u.email, u.locale, p.display_name
    from digests d join users u on u.id = d.user_id join profiles p on p.user_id = d.user_id
    where d.status = 'planned'
    order by d.id
    limit ${limit}`;
}

export async function markDigestReady(
  sql: Db,
  id: string,
  content: { to: string; subject: string; html: string; text: string; headers: Record<string, string>; matchCount: number },
) {
  await sql`
    update digests set status = 'ready', to_address = ${content.to}, subject = ${content.subject}, html = ${content.html},
           text = ${content.text}, headers = ${sql.json(content.headers)}, match_count = ${content.matchCount}
    where id = ${id} and status = 'planned'`;
}

/** Stores rendered digests in one statement (only rows still "planned"). */
export async function markDigestsReady(
  sql: Db,
  rows: { id: string; to: string; subject: string; html: string; text: string; headers: Record<string, string>; matchCount: number }[],
) {
  if (rows.length === 0) return;
  await sql`
    update digests d set status = 'ready', to_address = v.to_address, subject = v.subject, html = v.html, text = v.text,
           headers = v.headers::jsonb, match_count = v.match_count
    from (select * from unnest(
      ${rows.map((row) => row.id)}::bigint[], ${rows.map((row) => row.to)}::text[], ${rows.map((row) => row.subject)}::text[],
      ${rows.map((row) => row.html)}::text[], ${rows.map((row) => row.text)}::text[],
      ${rows.map((row) => JSON.stringify(row.headers))}::text[], ${rows.map((row) => row.matchCount)}::int[]
    ) as t(id, to_address, subject, html, text, headers, match_count)) v
    where d.id = v.id and d.status = 'planned'`;
}

export async function markDigestsSkipped(sql: Db, runId: string, ids: string[]) {
  if (ids.length === 0) return;
  await sql`
    update digests set status = 'skipped', match_count = 0, settled_run_id = ${runId}
    where id = any(${ids}) and status = 'planned'`;
}

export async function countPlanned(sql: Db) {
  const [row] = await sql<[{ count: number }]>`select count(*)::int as count from digests where status = 'planned'`;
  return row.count;
}

/**
 * A batch left in "sending": one that is due for a retry, or one whose request was in flight in a run that died
 * (the caller holds the digest lock, so any other run named in sending_run_id is dead). It is sent again as the
 * same batch with the same idempotency key, so the provider answers with the first result instead of sending
 * twice. Its last error stays until it is sent, so the admin page shows why it is being retried.
 */
export async function reclaimSendingBatch(sql: Db, runId: string) {
  const [row] = await sql<{ batch_key: string }[]>`
    select batch_key from digests
    where status = 'sending' and (next_attempt_at <= now() or (sending_run_id is not null and sending_run_id <> ${runId}))
    order by next_attempt_at, id limit 1`;
  if (!row) return undefined;
  return sql<DigestRow[]>`
    with reclaimed as (
      update digests set attempts = attempts + 1, next_attempt_at = now() + interval '5 minutes', sending_run_id = ${runId},
             last_error = case when sending_run_id is not null and sending_run_id <> ${runId}
                               then coalesce(last_error, 'interrupted: run #' || sending_run_id || ' stopped while sending this batch')
                               else last_error end
      where batch_key = ${row.batch_key} and status = 'sending'
      returning id, user_id, period, frequency, since, until, status, to_address, subject, html, text, headers, batch_key, attempts)
    select * from reclaimed order by id`;
}

/**
 * Claims up to `limit` ready digests as one batch; the key is derived from the rows, so it names exactly this batch.
 * Both this and the reclaim return the rows in id order: a retry must send the provider the same payload under the
 * same idempotency key (another order is another payload, answered with 409), and RETURNING follows the physical
 * order of the row versions, which any write or vacuum in between can change.
 */
export async function claimReadyBatch(sql: Sql, runId: string, limit: number, keyOf: (ids: string[]) => string): Promise<DigestRow[]> {
  return sql.begin(async (tx): Promise<DigestRow[]> => {
    const rows = await tx<{ id: string }[]>`
      select id from digests where status = 'ready' order by id limit ${limit} for update skip locked`;
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const batchKey = keyOf(ids);
    return tx<DigestRow[]>`
      with claimed as (
        update digests set status = 'sending', batch_key = ${batchKey}, attempts = attempts + 1, last_error = null,
               sending_run_id = ${runId}, next_attempt_at = now() + interval '5 minutes'
        where id = any(${ids})
        returning id, user_id, period, frequency, since, until, status, to_address, subject, html, text, headers, batch_key, attempts)
      select * from claimed order by id`;
  });
}

/**
 * The provider took the batch: the accepted digests are sent, the ones it refused one by one failed, in one
 * transaction, so a crash never leaves half a batch recorded.
 */
export async function recordBatchAccepted(
  sql: Sql,
  runId: string,
  batchKey: string,
  accepted: { id: string; providerId: string | null }[],
  rejected: { id: string; error: string }[],
) {
  await sql.begin(async (tx) => {
    await markBatchSent(tx, runId, batchKey, accepted);
    await markDigestsRejected(tx, runId, batchKey, rejected);
  });
}

async function markBatchSent(sql: Db, runId: string, batchKey: string, providerIds: { id: string; providerId: string | null }[]) {
  if (providerIds.length === 0) return;
  await sql`
    update digests d set status = 'sent', sent_at = now(), provider_id = v.provider_id, last_error = null,
           settled_run_id = ${runId}, sending_run_id = null
    from (select * from unnest(${providerIds.map((entry) => entry.id)}::bigint[], ${providerIds.map((entry) => entry.providerId ?? "")}::text[]) as t(id, provider_id)) v
    where d.id = v.id and d.batch_key = ${batchKey} and d.status = 'sending'`;
}

/** Emails the provider refused one by one in an accepted batch (an invalid address): failed for good, with why. */
async function markDigestsRejected(sql: Db, runId: string, batchKey: string, rejected: { id: string; error: string }[]) {
  if (rejected.length === 0) return;
  await sql`
    update digests d set status = 'failed', last_error = v.error, settled_run_id = ${runId}, sending_run_id = null
    from (select * from unnest(${rejected.map((entry) => entry.id)}::bigint[], ${rejected.map((entry) => entry.error)}::text[]) as t(id, error)) v
    where d.id = v.id and d.batch_key = ${batchKey} and d.status = 'sending'`;
}

/** A batch the provider cannot take now (quota used up): due again at `until`, and this attempt does not count. */
export async function postponeBatchUntil(sql: Db, batchKey: string, error: string, until: Date) {
  await sql`
    update digests set last_error = ${error}, next_attempt_at = ${until}, attempts = greatest(attempts - 1, 0), sending_run_id = null
    where batch_key = ${batchKey} and status = 'sending'`;
}

/** A batch that failed stays one batch (same rows, same key) and is due again later; after the last attempt it is "failed". */
export async function markBatchRetry(sql: Db, runId: string, batchKey: string, error: string, retryInSeconds: number | null) {
  if (retryInSeconds === null) {
    await sql`
      update digests set status = 'failed', last_error = ${error}, settled_run_id = ${runId}, sending_run_id = null
      where batch_key = ${batchKey} and status = 'sending'`;
  } else {
    await sql`
      update digests set last_error = ${error}, next_attempt_at = now() + make_interval(secs => ${retryInSeconds}), sending_run_id = null
      where batch_key = ${batchKey} and status = 'sending'`;
  }
}

/** What one run did: the digests it planned, and those it sent, skipped or failed (whoever planned them). */
export async function countRunOutcome(sql: Db, runId: string) {
  const [row] = await sql<[{ planned: number; sent: number; skipped: number; failed: number }]>`
    select (select count(*) from digests where run_id = ${runId})::int as planned,
           count(*) filter (where status = 'sent')::int as sent,
           count(*) filter (where status = 'skipped')::int as skipped,
           count(*) filter (where status = 'failed')::int as failed
    from digests where settled_run_id = ${runId}`;
  return row;
}

/** The latest runs with their counts taken from the digest rows, so a run in progress or one that died shows what it did. */
export async function recentRuns(sql: Db, limit: number) {
  return sql<
    {
      id: string;
      trigger: string;
      frequencies: string[];
      started_at: Date;
      finished_at: Date | null;
      planned: number;
      sent: number;
      skipped: number;
      failed: number;
      error: string | null;
      stop_reason: "quota" | null;
    }[]
  >`select r.id, r.trigger, r.frequencies, r.started_at, r.finished_at, c.planned, c.sent, c.skipped, c.failed, r.error, r.stop_reason
    from (select * from digest_runs order by id desc limit ${limit}) r
    join (${runCounts(sql)}) c on c.run_id = r.id
    order by r.id desc`;
}

export async function failedDigests(sql: Db, limit: number) {
  return sql<
    { id: string; user_id: string; period: string; attempts: number; last_error: string | null; status: string; next_attempt_at: Date }[]
  >`
    select id, user_id, period, attempts, last_error, status, next_attempt_at from digests
    where status = 'failed' or (status = 'sending' and last_error is not null)
    order by id desc limit ${limit}`;
}

export async function lastDigestUntil(sql: Db, userId: string, before: Date) {
  const [row] = await sql<{ until: Date | null }[]>`
    select max(until) as until from digests where user_id = ${userId} and status in ('sent', 'skipped') and until < ${before}`;
  return row?.until ?? null;
}

export async function personForDigest(sql: Db, userId: string) {
  const [row] = await sql<{ id: string; email: string; locale: "de" | "en"; display_name: string; digest_frequency: string }[]>`
    select u.id, u.email, u.locale, p.display_name, p.digest_frequency
    from users u join profiles p on p.user_id = u.id where u.id = ${userId}`;
  return row;
}

export async function findUserIdByEmail(sql: Db, email: string) {
  const [row] = await sql<{ id: string }[]>`select id from users where email = ${email}`;
  return row?.id;
}

export async function setDigestFrequency(sql: Db, userId: string, frequency: string) {
  const rows =
    await sql`update profiles set digest_frequency = ${frequency}, updated_at = now() where user_id = ${userId} returning user_id`;
  return rows.length > 0;
}
