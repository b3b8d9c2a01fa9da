import type { Db } from "~/lib/db.server";

export async function countUsers(sql: Db) {
  const [row] = await sql<[{ count: number }]>`select count(*)::int as count from users`;
  return row.count;
}

export async function demoWasSeeded(sql: Db) {
  const [row] = await sql`select 1 from seed_runs where name = 'demo'`;
  return Boolean(row);
}

export async function recordDemoSeed(sql: Db) {
  await sql`insert into seed_runs (name, checksum) values ('demo', 'v1') on conflict (name) do update set loaded_at = now()`;
}

export async function insertDemoUser(sql: Db, email: string, locale: string) {
  const [row] = await sql<[{ id: string }]>`
    insert into users (email, locale, is_demo) values (${email}, ${locale}, true)
    on conflict (email) do update set is_demo = true returning id`;
  return row.id;
}

export async function markDemoRows(sql: Db, userId: string, postIds: string[], createdDaysAgo: number[]) {
  await sql`update profiles set is_demo = true where user_id = ${userId}`;
  for (const [index, postId] of postIds.entries()) {
    const daysAgo = createdDaysAgo[index]!; // postIds and createdDaysAgo are filled together, one age per post
    await sql`
      update posts set is_demo = true, created_at = now() - make_interval(days => ${daysAgo}),
             updated_at = now() - make_interval(days => ${daysAgo})
      where id = ${postId} and author_id = ${userId}`;
  }
}

export async function demoUserAndPostIds(sql: Db) {
  const users = await sql<{ id: string }[]>`select id from users where is_demo`;
  const posts = await sql<{ id: string }[]>`select p.id from posts p join users u on u.id = p.author_id where u.is_demo`;
  return { userIds: users.map((row) => row.id), postIds: posts.map((row) => row.id) };
}

export async function deleteDemoUsers(sql: Db) {
  const rows = await sql`delete from users where is_demo returning id`;
  return rows.length;
}
