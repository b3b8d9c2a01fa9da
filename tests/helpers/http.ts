import { commitSessionCookie } from "~/modules/accounts/session.server";
import { hashToken, randomToken } from "~/modules/accounts/accounts.server";
import { db } from "~/lib/db.server";

/** A real session row for the user and the Cookie header that carries it. */
export async function sessionCookieFor(userId: string) {
  const sessionId = randomToken();
  await db()`insert into sessions (id_hash, user_id, expires_at) values (${hashToken(sessionId)}, ${userId}, now() + interval '1 day')`;
  const setCookie = await commitSessionCookie(sessionId);
  const end = setCookie.indexOf(";");
  return end < 0 ? setCookie : setCookie.slice(0, end);
}

export function formRequest(path: string, fields: Record<string, string> | FormData, cookie?: string) {
  const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body,
    headers: { ...(cookie ? { cookie } : {}), "x-nl-client-ip": "127.0.0.1" },
  });
}

export function getRequest(path: string, cookie?: string) {
  return new Request(`http://localhost${path}`, { headers: cookie ? { cookie } : {} });
}

/** Runs a loader or action and returns the thrown or returned Response / data, so tests can read statuses. */
export async function settle(run: () => Promise<unknown>): Promise<{ status: number; body: unknown; headers: Headers }> {
  try {
    const result = await run();
    return describe(result);
  } catch (thrown) {
    return describe(thrown);
  }
}

function describe(value: unknown) {
  if (value instanceof Response) return { status: value.status, body: null, headers: value.headers };
  if (value && typeof value === "object" && "type" in value && (value as { type: string }).type === "DataWithResponseInit") {
    const wrapped = value as unknown as { data: unknown; init?: ResponseInit };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data, headers: new Headers(wrapped.init?.headers) };
  }
  if (value instanceof Error) throw value;
  return { status: 200, body: value, headers: new Headers() };
}
