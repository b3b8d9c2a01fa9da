import type { Db } from "~/lib/db.server";

export type EmailRow = {
  id: string;
  user_id: string | null;
  to_address: string | null;
  kind: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  idempotency_key: string;
  status: "pending" | "sending" | "sent" | "failed";
  attempts: number;
};

export type NewEmail = {
  userId: string | null;
  to: string;
  kind: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  idempotencyKey: string;
};

export async function insertEmail(sql: Db, email: NewEmail) {
  const [row] = await sql<{ id: string }[]>`
    insert into email_messages (user_id, to_address, kind, subject, html, text, headers, idempotency_key)
    values (${email.userId}, ${email.to}, ${email.kind}, ${email.subject}, ${email.html}, ${email.text},
            ${sql.json(email.headers ?? {})}, ${email.idempotencyKey})
    on conflict (idempotency_key) do nothing
    returning id`;
  return row?.id ?? null;
}

/**
 * Claims due messages for one delivery attempt. A claimed message stays claimed for `leaseSeconds`; if the
 * process dies meanwhile it becomes due again and is re-sent with the same idempotency key.
 */
export async function claimDueEmails(sql: Db, limit: number, leaseSeconds: number) {
  return sql<EmailRow[]>`
    update email_messages set status = 'sending', attempts = attempts + 1,
           next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    where id in (
      select id from email_messages
      where status in ('pending', 'sending') and next_attempt_at <= now()
      order by id
      limit ${limit}
      for update skip locked)
    returning id, user_id, to_address, kind, subject, html, text, headers, idempotency_key, status, attempts`;
}

/**
 * Is transactional mail claimed by a worker that is sending it right now, or due since less than `staleSeconds`?
 * Mail due for longer is not being picked up (no worker runs), so bulk mail stops waiting for it.
 */
export async function transactionalMailWaiting(sql: Db, staleSeconds = 30) {
  const [row] = await sql<[{ waiting: boolean }]>`
    select exists (
      select 1 from email_messages
      where status in ('pending', 'sending') and next_attempt_at > now() - make_interval(secs => ${staleSeconds})
        and (status = 'sending' or next_attempt_at <= now())) as waiting`;
  return row.waiting;
}

export async function markEmailSent(sql: Db, id: string, transport: string, providerId: string | null) {
  await sql`
    update email_messages set status = 'sent', transport = ${transport}, provider_id = ${providerId},
           sent_at = now(), last_error = null
    where id = ${id}`;
}

/** Claimed emails the provider would not take now: back to pending later, and the claim's attempt is given back. */
export async function postponeEmails(sql: Db, ids: string[], error: string, retryInSeconds: number) {
  await sql`
    update email_messages set status = 'pending', last_error = ${error}, attempts = greatest(attempts - 1, 0),
           next_attempt_at = now() + make_interval(secs => ${retryInSeconds})
    where id = any(${ids}::bigint[]) and status = 'sending'`;
}

export async function markEmailFailed(sql: Db, id: string, transport: string, error: string, retryInSeconds: number | null) {
  if (retryInSeconds === null) {
    await sql`update email_messages set status = 'failed', transport = ${transport}, last_error = ${error} where id = ${id}`;
  } else {
    await sql`
      update email_messages set status = 'pending', transport = ${transport}, last_error = ${error},
             next_attempt_at = now() + make_interval(secs => ${retryInSeconds})
      where id = ${id}`;
  }
}

export async function listDevMailbox(sql: Db, limit: number) {
  return sql<{ id: string; to_address: string; subject: string; created_at: Date }[]>`
    select id, to_address, subject, created_at from dev_mailbox order by id desc limit ${limit}`;
}

export async function findDevMail(sql: Db, id: string) {
  const [row] = await sql<
    { id: string; to_address: string; subject: string; html: string; text: string; headers: Record<string, string>; created_at: Date }[]
  >`select id, to_address, subject, html, text, headers, created_at from dev_mailbox where id = ${id}`;
  return row;
}

export async function countEmailsByStatus(sql: Db) {
  return sql<{ status: string; count: number }[]>`
    select status, count(*)::int as count from email_messages group by status`;
}

/** A provider event (webhook) stored once by its id; false when it was seen before. */
export async function insertEmailEvent(sql: Db, input: { providerEventId: string; type: string; email: string | null; detail: unknown }) {
  const rows = await sql`
    insert into email_events (provider_event_id, type, email, detail)
    values (${input.providerEventId}, ${input.type}, ${input.email}, ${sql.json(input.detail as never)})
    on conflict (provider_event_id) do nothing returning id`;
  return rows.length > 0;
}
