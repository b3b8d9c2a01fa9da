import type { Db } from "~/lib/db.server";

export type ContactRequestRow = {
  id: string;
  sender_id: string;
  recipient_id: string;
  post_id: string | null;
  post_title: string | null;
  message: string;
  status: "pending" | "accepted" | "declined";
  created_at: Date;
  responded_at: Date | null;
  sender_name: string | null;
  recipient_name: string | null;
};

export async function recipientForContact(sql: Db, recipientId: string) {
  const [row] = await sql<{ id: string; email: string; locale: "de" | "en"; display_name: string }[]>`
    select u.id, u.email, u.locale, p.display_name from users u join profiles p on p.user_id = u.id
    where u.id = ${recipientId} and u.banned_at is null`;
  return row;
}

export async function isBlockedEitherWay(sql: Db, a: string, b: string) {
  const [row] = await sql`
    select 1 from blocks where (blocker_id = ${a} and blocked_id = ${b}) or (blocker_id = ${b} and blocked_id = ${a})`;
  return Boolean(row);
}

export async function countRequestsSentSince(sql: Db, senderId: string, hours: number) {
  const [row] = await sql<[{ count: number }]>`
    select count(*)::int as count from contact_requests
    where sender_id = ${senderId} and created_at > now() - make_interval(hours => ${hours})`;
  return row.count;
}

export async function postOfAuthor(sql: Db, postId: string, authorId: string) {
  const [row] = await sql<{ id: string; title: string }[]>`select id, title from posts where id = ${postId} and author_id = ${authorId}`;
  return row;
}

export async function insertContactRequest(
  sql: Db,
  input: { senderId: string; recipientId: string; postId: string | null; message: string },
) {
  const [row] = await sql<{ id: string }[]>`
    insert into contact_requests (sender_id, recipient_id, post_id, message)
    values (${input.senderId}, ${input.recipientId}, ${input.postId}, ${input.message})
    on conflict do nothing
    returning id`;
  return row?.id;
}

const requestColumns = (sql: Db) => sql`
  r.id, r.sender_id, r.recipient_id, r.post_id, p.title as post_title, r.message, r.status, r.created_at, r.responded_at,
  sp.display_name as sender_name, rp.display_name as recipient_name`;

const requestJoins = (sql: Db) => sql`
  from contact_requests r
  left join posts p on p.id = r.post_id
  left join profiles sp on sp.user_id = r.sender_id
  left join profiles rp on rp.user_id = r.recipient_id`;

export async function requestsOfUser(sql: Db, userId: string) {
  return sql<ContactRequestRow[]>`
    select ${requestColumns(sql)} ${requestJoins(sql)}
    where r.sender_id = ${userId} or r.recipient_id = ${userId}
    order by r.created_at desc limit 200`;
}

/** A request seen by one of its two participants; anyone else gets nothing. */
export async function requestForParticipant(sql: Db, requestId: string, userId: string) {
  const [row] = await sql<ContactRequestRow[]>`
    select ${requestColumns(sql)} ${requestJoins(sql)}
    where r.id = ${requestId} and (r.sender_id = ${userId} or r.recipient_id = ${userId})`;
  return row;
}

export async function respondToRequest(sql: Db, requestId: string, recipientId: string, status: "accepted" | "declined") {
  const [row] = await sql<{ id: string; sender_id: string }[]>`
    update contact_requests set status = ${status}, responded_at = now()
    where id = ${requestId} and recipient_id = ${recipientId} and status = 'pending'
    returning id, sender_id`;
  return row;
}

export async function participantsEmails(sql: Db, requestId: string) {
  const [row] = await sql<{ sender_email: string; sender_locale: "de" | "en"; recipient_email: string; recipient_locale: "de" | "en" }[]>`
    select s.email as sender_email, s.locale as sender_locale, r.email as recipient_email, r.locale as recipient_locale
    from contact_requests c join users s on s.id = c.sender_id join users r on r.id = c.recipient_id
    where c.id = ${requestId}`;
  return row;
}

/** Adds a message only to an accepted request the author takes part in. */
export async function insertThreadMessage(sql: Db, requestId: string, authorId: string, body: string) {
  const [row] = await sql<{ id: string }[]>`
    insert into contact_messages (request_id, author_id, body)
    select ${requestId}, ${authorId}, ${body}
    where exists (select 1 from contact_requests where id = ${requestId} and status = 'accepted'
                  and (sender_id = ${authorId} or recipient_id = ${authorId}))
    returning id`;
  return row?.id;
}

export async function threadMessages(sql: Db, requestId: string) {
  return sql<{ id: string; author_id: string; body: string; created_at: Date }[]>`
    select id, author_id, body, created_at from contact_messages where request_id = ${requestId} order by id`;
}

export async function userExists(sql: Db, userId: string) {
  const [row] = await sql`select 1 from users where id = ${userId}`;
  return Boolean(row);
}

export async function insertBlock(sql: Db, blockerId: string, blockedId: string) {
  await sql`insert into blocks (blocker_id, blocked_id) values (${blockerId}, ${blockedId}) on conflict do nothing`;
  await sql`
    update contact_requests set status = 'declined', responded_at = now()
    where status = 'pending' and ((sender_id = ${blockerId} and recipient_id = ${blockedId}) or (sender_id = ${blockedId} and recipient_id = ${blockerId}))`;
}

export async function deleteBlock(sql: Db, blockerId: string, blockedId: string) {
  await sql`delete from blocks where blocker_id = ${blockerId} and blocked_id = ${blockedId}`;
}

export async function hasBlocked(sql: Db, blockerId: string, blockedId: string) {
  const [row] = await sql`select 1 from blocks where blocker_id = ${blockerId} and blocked_id = ${blockedId}`;
  return Boolean(row);
}

export async function blockedEitherWayIds(sql: Db, userId: string) {
  const rows = await sql<{ id: string }[]>`
    select blocked_id as id from blocks where blocker_id = ${userId}
    union select blocker_id as id from blocks where blocked_id = ${userId}`;
  return rows.map((row) => row.id);
}

export async function postIdsOfAuthor(sql: Db, authorId: string) {
  const rows = await sql<{ id: string }[]>`select id from posts where author_id = ${authorId}`;
  return rows.map((row) => row.id);
}
