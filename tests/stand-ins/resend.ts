/**
 * LOCAL HTTP STAND-IN for the Resend API — not Resend. The real API cannot be reached from these machines, so
 * the official SDK is pointed at this server (RESEND_BASE_URL / baseUrl) in tests and benchmarks. It behaves
 * like the parts of Resend we rely on: POST /emails and POST /emails/batch (at most 100 emails); a request rate
 * limit per team, measured over every client together (a token bucket of `requestsPerSecond`), answered with 429
 * rate_limit_exceeded + retry-after, and the ratelimit-limit / -remaining / -reset headers on every answer; daily
 * and monthly email quotas counted per recipient, answered with 429 daily_quota_exceeded / monthly_quota_exceeded
 * (no retry-after: waiting a second does not help); idempotency keys that replay the first answer without sending again
 * (and 409 when a key comes back with another payload), validation of every email (an address must look like
 * one) with the batch header x-batch-validation: strict (default: 422 for the whole batch) or permissive (the
 * valid ones are sent, the others listed in `errors` by index), and scripted failures (500 / 429) for retries.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type DeliveredEmail = { id: string; to: string; subject: string; headers: Record<string, string>; idempotencyKey: string | null };

export type ResendStandIn = {
  url: string;
  delivered: DeliveredEmail[];
  requests: { path: string; emails: number; status: number; idempotencyKey: string | null; at: number }[];
  /** The next answers to give instead of a normal one, e.g. [{ status: 500 }, { status: 429, retryAfter: 1 }]. */
  failNext: (...answers: { status: number; retryAfter?: number; name?: string }[]) => void;
  close: () => Promise<void>;
};

export type ResendStandInOptions = {
  requestsPerSecond?: number;
  apiKey?: string;
  /** Emails (recipients) a day, counted per UTC day as Resend does; unset: no daily quota. */
  dailyQuota?: number;
  /** Emails (recipients) a month; unset: no monthly quota. */
  monthlyQuota?: number;
};

export async function startResendStandIn(options: ResendStandInOptions = {}): Promise<ResendStandIn> {
  const rate = options.requestsPerSecond ?? 2;
  const delivered: DeliveredEmail[] = [];
  const requests: ResendStandIn["requests"] = [];
  const scripted: { status: number; retryAfter?: number; name?: string }[] = [];
  const replies = new Map<string, { status: number; body: string; payload: string }>();
  // Token bucket: `rate` requests per second, bursts up to `rate`.
  let tokens = rate;
  let refilledAt = Date.now();
  let nextId = 1;
  const sentPerDay = new Map<string, number>();
  const sentPerMonth = new Map<string, number>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "";
      const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", ...limitHeaders, ...headers });
        res.end(text);
        return text;
      };
      let limitHeaders: Record<string, string> = {};
      const rateHeaders = (remaining: number) => ({
        "ratelimit-limit": String(rate),
        "ratelimit-remaining": String(remaining),
        "ratelimit-reset": "1",
      });
      const record = (status: number, emails: number) => requests.push({ path, emails, status, idempotencyKey, at: Date.now() });

      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        record(401, 0);
        return reply(401, { statusCode: 401, name: "validation_error", message: "API key is invalid" });
      }
      const now = Date.now();
      tokens = Math.min(rate, tokens + ((now - refilledAt) / 1000) * rate);
      refilledAt = now;
      if (tokens < 1) {
        record(429, 0);
        const retryAfter = String(Math.max(1, Math.ceil((1 - tokens) / rate)));
        return reply(
          429,
          {
            statusCode: 429,
            name: "rate_limit_exceeded",
            message: `Too many requests. You can only make ${rate} requests per second. See rate limit response headers for more information.`,
          },
          { "retry-after": retryAfter, ...rateHeaders(0) },
        );
      }
      tokens -= 1;
      limitHeaders = rateHeaders(Math.floor(tokens));

      const next = scripted.shift();
      if (next) {
        record(next.status, 0);
        const headers: Record<string, string> = next.retryAfter ? { "retry-after": String(next.retryAfter) } : {};
        const name = next.name ?? (next.status === 429 ? "rate_limit_exceeded" : "application_error");
        return reply(next.status, { statusCode: next.status, name, message: `scripted ${next.status}` }, headers);
      }
      const rawPayload = Buffer.concat(chunks).toString("utf8");
      if (idempotencyKey !== null && (idempotencyKey.length < 1 || idempotencyKey.length > 256)) {
        record(400, 0);
        return reply(400, {
          statusCode: 400,
          name: "invalid_idempotency_key",
          message: "Idempotency keys, if present, must have between 1 and 256 characters.",
        });
      }
      if (idempotencyKey && replies.has(`${path}:${idempotencyKey}`)) {
        const previous = replies.get(`${path}:${idempotencyKey}`) as { status: number; body: string; payload: string };
        if (previous.payload !== rawPayload) {
          record(409, 0);
          return reply(409, {
            statusCode: 409,
            name: "invalid_idempotent_request",
            message: "Same idempotency key used with a different request payload",
          });
        }
        record(previous.status, 0);
        res.writeHead(previous.status, { "content-type": "application/json", ...limitHeaders });
        return res.end(previous.body);
      }

      let payload: unknown;
      try {
        payload = JSON.parse(rawPayload);
      } catch {
        record(400, 0);
        return reply(400, { statusCode: 400, name: "validation_error", message: "invalid JSON" });
      }
      const emails = (path === "/emails/batch" ? payload : [payload]) as {
        to: string | string[];
        subject: string;
        headers?: Record<string, string>;
      }[];
      if (!Array.isArray(emails) || (path !== "/emails" && path !== "/emails/batch")) {
        record(404, 0);
        return reply(404, { statusCode: 404, name: "not_found", message: "unknown endpoint" });
      }
      if (emails.length > 100) {
        record(422, emails.length);
        return reply(422, { statusCode: 422, name: "validation_error", message: "batch limited to 100 emails" });
      }
      const invalid = emails.flatMap((email, index) => {
        const problem = validationProblem(email);
        return problem ? [{ index, message: problem }] : [];
      });
      const permissive = path === "/emails/batch" && req.headers["x-batch-validation"] === "permissive";
      if (invalid.length > 0 && !permissive) {
        record(422, emails.length);
        const first = invalid[0] as { index: number; message: string };
        const body = reply(422, {
          statusCode: 422,
          name: "validation_error",
          message: path === "/emails/batch" ? `emails[${first.index}]: ${first.message}` : first.message,
        });
        if (idempotencyKey) replies.set(`${path}:${idempotencyKey}`, { status: 422, body, payload: rawPayload });
        return;
      }
      const invalidAt = new Set(invalid.map((entry) => entry.index));
      const recipients = emails.reduce(
        (sum, email, index) => sum + (invalidAt.has(index) ? 0 : ([] as string[]).concat(email.to).length),
        0,
      );
      const day = new Date().toISOString().slice(0, 10);
      const month = day.slice(0, 7);
      if (options.monthlyQuota !== undefined && (sentPerMonth.get(month) ?? 0) + recipients > options.monthlyQuota) {
        record(429, 0);
        return reply(429, {
          statusCode: 429,
          name: "monthly_quota_exceeded",
          message: "You have reached your monthly email sending quota.",
        });
      }
      if (options.dailyQuota !== undefined && (sentPerDay.get(day) ?? 0) + recipients > options.dailyQuota) {
        record(429, 0);
        return reply(429, { statusCode: 429, name: "daily_quota_exceeded", message: "You have reached your daily email sending quota." });
      }
      sentPerDay.set(day, (sentPerDay.get(day) ?? 0) + recipients);
      sentPerMonth.set(month, (sentPerMonth.get(month) ?? 0) + recipients);
      const ids = emails.flatMap((email, index) => {
        if (invalidAt.has(index)) return [];
        const id = `standin-${nextId++}`;
        for (const to of ([] as string[]).concat(email.to))
          delivered.push({ id, to, subject: email.subject, headers: email.headers ?? {}, idempotencyKey });
        return [{ id }];
      });
      record(200, ids.length);
      const body = reply(200, path === "/emails/batch" ? { data: ids, ...(permissive ? { errors: invalid } : {}) } : ids[0]);
      if (idempotencyKey) replies.set(`${path}:${idempotencyKey}`, { status: 200, body, payload: rawPayload });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delivered,
    requests,
    failNext: (...answers) => scripted.push(...answers),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const ADDRESS = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;

/** What Resend's validation would say of one email, or undefined when it is fine. */
function validationProblem(email: { from?: unknown; to?: unknown; subject?: unknown }) {
  const recipients = ([] as unknown[]).concat(email.to ?? []);
  if (recipients.length === 0 || recipients.length > 50) return "The `to` field must have 1 to 50 addresses.";
  const bad = recipients.find((to) => typeof to !== "string" || !ADDRESS.test(to));
  if (bad !== undefined)
    return `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`;
  if (typeof email.from !== "string" || !email.from.includes("@")) return "Invalid `from` field.";
  if (typeof email.subject !== "string" || email.subject.length === 0) return "The `subject` field is required.";
  return undefined;
}

/** `tsx tests/stand-ins/resend.ts [requestsPerSecond]` runs the stand-in as its own process (for benchmarks). */
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "-")) {
  const rate = Number(process.argv[2] ?? 2);
  const standIn = await startResendStandIn({ requestsPerSecond: rate });
  const stats = http.createServer((_req, res) => {
    const perRecipient = new Map<string, number>();
    for (const email of standIn.delivered) perRecipient.set(email.to, (perRecipient.get(email.to) ?? 0) + 1);
    const duplicates = [...perRecipient.values()].filter((count) => count > 1).length;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        delivered: standIn.delivered.length,
        recipients: perRecipient.size,
        duplicates,
        requests: standIn.requests.length,
        rateLimited: standIn.requests.filter((request) => request.status === 429).length,
      }),
    );
  });
  await new Promise<void>((resolve) => stats.listen(0, "127.0.0.1", resolve));
  console.log(JSON.stringify({ url: standIn.url, stats: `http://127.0.0.1:${(stats.address() as AddressInfo).port}` }));
}
