import type { Db } from "./db.server";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type RateLimit = { scope: string; limit: number; windowSeconds: number };

/**
 * Counts one request against a fixed window in PostgreSQL (one upsert), so every instance shares the count and
 * concurrent requests cannot slip past it. `now` is a parameter so tests need no clock.
 */
export async function takeRateLimit(sql: Db, rule: RateLimit, key: string, now = new Date()): Promise<RateDecision> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await sql<[{ count: number }]>`
    insert into rate_limit_windows (scope, key, window_start, count)
    values (${rule.scope}, ${key}, ${windowStart}, 1)
    on conflict (scope, key, window_start) do update set count = rate_limit_windows.count + 1
    returning count`;
  // Windows older than the current one are of no use any more; one in a hundred requests sweeps them.
  if (Math.random() < 0.01) {
    await sql`delete from rate_limit_windows where scope = ${rule.scope} and window_start < ${new Date(windowStart.getTime() - windowMs)}`;
  }
  if (row.count <= rule.limit) return { allowed: true };
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: false, retryAfterSeconds };
}
