import type { Db } from "~/lib/db.server";

/** Everything stored about one person, each query naming the person in its WHERE clause. */
export async function collectPersonalData(sql: Db, userId: string) {
  const [account] = await sql`select id, email, locale, is_admin, created_at, last_login_at from users where id = ${userId}`;
  const [profile] = await sql`
    select display_name, role, bio, district, remote_ok, languages, website, digest_frequency, created_at, updated_at
    from profiles where user_id = ${userId}`;
  const skills = await sql`
    select ps.direction, s.slug, s.label_de, s.label_en from profile_skills ps join skills s on s.id = ps.skill_id
    where ps.user_id = ${userId} order by ps.direction, s.slug`;
  const posts = await sql`
    select p.id, p.kind, p.title, p.description, p.category, p.district, p.is_remote, p.exchange_mode, p.status,
           p.expires_at, p.hidden_at, p.created_at, p.updated_at,
           coalesce((select array_agg(s.slug order by ps.position) from post_skills ps join skills s on s.id = ps.skill_id where ps.post_id = p.id), '{}') as skills
    from posts p where p.author_id = ${userId} order by p.id`;
  // As in the inbox, a sender learns only "accepted" or "no reply": a decline looks like a request still waiting.
  const contactRequests = await sql`
    select id, case when sender_id = ${userId} then 'sent' else 'received' end as direction, post_id, message,
           case when sender_id = ${userId} and status <> 'accepted' then 'no reply' else status end as status,
           created_at,
           case when sender_id = ${userId} and status <> 'accepted' then null else responded_at end as responded_at
    from contact_requests where sender_id = ${userId} or recipient_id = ${userId} order by id`;
  const messages = await sql`select request_id, body, created_at from contact_messages where author_id = ${userId} order by id`;
  const sessions = await sql`select created_at, last_seen_at, expires_at from sessions where user_id = ${userId} order by created_at`;
  const blocks = await sql`select blocked_id, created_at from blocks where blocker_id = ${userId}`;
  const reports = await sql`select target_type, target_id, reason, created_at from reports where reporter_id = ${userId}`;
  const emails = await sql`select kind, subject, status, created_at, sent_at from email_messages where user_id = ${userId} order by id`;
  const createdSkills = await sql`select slug, label_de from skills where created_by = ${userId}`;
  return { account, profile: profile ?? null, skills, posts, contactRequests, messages, sessions, blocks, reports, emails, createdSkills };
}

export async function userEmail(sql: Db, userId: string) {
  const [row] = await sql<{ email: string }[]>`select email from users where id = ${userId}`;
  return row?.email;
}

export async function postIdsOfAuthor(sql: Db, userId: string) {
  const rows = await sql<{ id: string }[]>`select id from posts where author_id = ${userId}`;
  return rows.map((row) => row.id);
}

/** The delivery log keeps its counts but no address or content of a deleted person. */
export async function scrubEmails(sql: Db, userId: string, email: string) {
  // Emails to others about this person's contact requests carry their name: keep the row, drop the content.
  const requests = await sql<{ id: string }[]>`select id from contact_requests where sender_id = ${userId} or recipient_id = ${userId}`;
  const keys = requests.flatMap((row) => [`contact-request-${row.id}`, `contact-accepted-${row.id}`]);
  const messagePrefixes = requests.map((row) => `contact-message-${row.id}-%`);
  await sql`
    update email_messages set html = '', text = '', subject = '(deleted)', headers = '{}'
    where idempotency_key = any(${keys}) or idempotency_key like any(${messagePrefixes})`;
  await sql`delete from dev_mailbox where idempotency_key = any(${keys}) or idempotency_key like any(${messagePrefixes})`;
  await sql`
    update email_messages set to_address = null, user_id = null, html = '', text = '', subject = '(deleted)', headers = '{}',
           status = case when status in ('pending', 'sending') then 'failed' else status end,
           last_error = case when status in ('pending', 'sending') then 'recipient deleted' else last_error end
    where user_id = ${userId} or to_address = ${email}`;
  await sql`delete from dev_mailbox where to_address = ${email}`;
  await sql`delete from login_tokens where email = ${email}`;
  await sql`delete from email_events where email = ${email}`;
}

export async function deleteReportsAbout(sql: Db, userId: string, postIds: string[]) {
  await sql`
    delete from reports
    where (target_type = 'person' and target_id = ${userId}) or (target_type = 'post' and target_id = any(${postIds}))`;
}

export async function deleteUser(sql: Db, userId: string) {
  await sql`delete from users where id = ${userId}`;
}
