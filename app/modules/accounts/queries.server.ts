import type { Db } from "~/lib/db.server";

export type UserRow = {
  id: string;
  email: string;
  locale: "de" | "en";
  is_admin: boolean;
  banned_at: Date | null;
  display_name: string | null;
};

export async function countRecentLoginTokens(sql: Db, email: string, clientIp: string) {
  const [row] = await sql<[{ by_email: number; by_ip: number }]>`
    select
      (select count(*)::int from login_tokens where email = ${email} and created_at > now() - interval '1 hour') as by_email,
      (select count(*)::int from login_tokens where client_ip = ${clientIp} and created_at > now() - interval '1 hour') as by_ip`;
  return row;
}

export async function insertLoginToken(
  sql: Db,
  token: { tokenHash: string; browserKeyHash: string; email: string; clientIp: string; validMinutes: number },
) {
  await sql`
    insert into login_tokens (token_hash, browser_key_hash, email, client_ip, expires_at)
    values (${token.tokenHash}, ${token.browserKeyHash}, ${token.email}, ${token.clientIp}, now() + make_interval(mins => ${token.validMinutes}))`;
}

/**
 * Marks a valid token used and returns its email; unknown, expired or used tokens return nothing. With a browser
 * key hash, only the token that browser asked for is used.
 */
export async function consumeLoginToken(sql: Db, tokenHash: string, browserKeyHash?: string) {
  const [row] = await sql<{ email: string }[]>`
    update login_tokens set used_at = now()
    where token_hash = ${tokenHash} and used_at is null and expires_at > now()
      ${browserKeyHash === undefined ? sql`` : sql`and browser_key_hash = ${browserKeyHash}`}
    returning email`;
  return row?.email;
}

export async function findUserByEmail(sql: Db, email: string) {
  const [row] = await sql<{ id: string; locale: "de" | "en"; banned_at: Date | null }[]>`
    select id, locale, banned_at from users where email = ${email}`;
  return row;
}

export async function upsertUserByEmail(sql: Db, email: string, locale: string, isAdmin: boolean) {
  const [row] = await sql<[{ id: string; banned_at: Date | null }]>`
    insert into users (email, locale, is_admin, last_login_at) values (${email}, ${locale}, ${isAdmin}, now())
    on conflict (email) do update set last_login_at = now(), is_admin = users.is_admin or excluded.is_admin
    returning id, banned_at`;
  return row;
}

export async function insertSession(sql: Db, idHash: string, userId: string, validDays: number) {
  await sql`
    insert into sessions (id_hash, user_id, expires_at)
    values (${idHash}, ${userId}, now() + make_interval(days => ${validDays}))`;
}

export async function findSessionUser(sql: Db, idHash: string) {
  const [row] = await sql<UserRow[]>`
    select u.id, u.email, u.locale, u.is_admin, u.banned_at, p.display_name
    from sessions s
    join users u on u.id = s.user_id
    left join profiles p on p.user_id = u.id
    where s.id_hash = ${idHash} and s.expires_at > now() and u.banned_at is null`;
  return row;
}

export async function touchSession(sql: Db, idHash: string) {
  await sql`update sessions set last_seen_at = now() where id_hash = ${idHash} and last_seen_at < now() - interval '5 minutes'`;
}

export async function deleteSession(sql: Db, idHash: string) {
  await sql`delete from sessions where id_hash = ${idHash}`;
}

export async function updateUserLocale(sql: Db, userId: string, locale: string) {
  await sql`update users set locale = ${locale} where id = ${userId}`;
}

export async function setAdminByEmail(sql: Db, email: string, isAdmin: boolean) {
  const rows = await sql`update users set is_admin = ${isAdmin} where email = ${email} returning id`;
  return rows.length > 0;
}
