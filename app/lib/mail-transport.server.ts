import { Resend } from "resend";
import type { Db } from "./db.server";

export type OutgoingEmail = {
  /** Stable per message: a retry after a crash sends the same key, and the transport drops the repeat. */
  idempotencyKey: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
};

export type DeliveryResult =
  | { ok: true; providerId: string | null }
  | {
      ok: false;
      error: string;
      /** A rate limit: try again after this many seconds; not the email's fault, so it costs no attempt. */
      retryAfterSeconds?: number;
      permanent?: boolean;
      /** The daily or monthly sending quota is used up: nothing more goes out before it renews. */
      quota?: boolean;
    };

/** One interface, two transports: Resend when configured, else the local outbox shown at /dev/mail. */
export interface MailTransport {
  readonly name: "resend" | "outbox";
  send(email: OutgoingEmail): Promise<DeliveryResult>;
  /**
   * Up to 100 emails in one request. A failed request fails the whole batch; an accepted one may still reject
   * single emails (e.g. an invalid address), listed by their index, while the others are sent.
   */
  sendBatch(emails: OutgoingEmail[], batchKey: string): Promise<BatchResult>;
}

export type BatchResult =
  { ok: true; providerIds: (string | null)[]; rejected: { index: number; error: string }[] } | Extract<DeliveryResult, { ok: false }>;

export class OutboxTransport implements MailTransport {
  readonly name = "outbox" as const;
  constructor(private readonly sql: () => Db) {}

  async send(email: OutgoingEmail): Promise<DeliveryResult> {
    const [row] = await this.sql()<[{ id: string }]>`
      insert into dev_mailbox (idempotency_key, to_address, subject, html, text, headers)
      values (${email.idempotencyKey}, ${email.to}, ${email.subject}, ${email.html}, ${email.text},
              ${this.sql().json(email.headers ?? {})})
      on conflict (idempotency_key) do update set idempotency_key = excluded.idempotency_key
      returning id`;
    return { ok: true, providerId: `outbox-${row.id}` };
  }

  async sendBatch(emails: OutgoingEmail[]) {
    const providerIds: (string | null)[] = [];
    for (const email of emails) {
      const result = await this.send(email);
      providerIds.push(result.ok ? result.providerId : null);
    }
    return { ok: true as const, providerIds, rejected: [] };
  }
}

export class ResendTransport implements MailTransport {
  readonly name = "resend" as const;
  private readonly resend: Resend;

  constructor(apiKey: string, baseUrl?: string) {
    this.resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  }

  async send(email: OutgoingEmail): Promise<DeliveryResult> {
    const { data, error, headers } = await this.resend.emails.send(
      { from: email.from, to: email.to, subject: email.subject, html: email.html, text: email.text, headers: email.headers },
      { idempotencyKey: email.idempotencyKey },
    );
    if (error) return describeResendError(error, headers);
    return { ok: true, providerId: data?.id ?? null };
  }

  async sendBatch(emails: OutgoingEmail[], batchKey: string) {
    if (emails.length > 100) throw new Error("Resend accepts at most 100 emails per batch");
    const { data, error, headers } = await this.resend.batch.send(
      emails.map((email) => ({
        from: email.from,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: email.headers,
      })),
      // Permissive: one invalid address must not hold back the other 99 digests of the batch.
      { idempotencyKey: batchKey, batchValidation: "permissive" },
    );
    if (error) return describeResendError(error, headers);
    const rejected = (data?.errors ?? []).map((entry) => ({ index: entry.index, error: `rejected: ${entry.message}` }));
    // The ids come in the order of the accepted emails: the rejected ones' positions are skipped.
    const rejectedAt = new Set(rejected.map((entry) => entry.index));
    const ids = (data?.data ?? []).map((item) => item.id);
    let next = 0;
    const providerIds = emails.map((_, index) => (rejectedAt.has(index) ? null : (ids[next++] ?? null)));
    return { ok: true as const, providerIds, rejected };
  }
}

type ResendErrorShape = { name?: string; message?: string; statusCode?: number | null };

function describeResendError(
  error: ResendErrorShape,
  headers: Record<string, string> | null | undefined,
): Extract<DeliveryResult, { ok: false }> {
  const status = error.statusCode ?? 0;
  const permanent = status === 400 || status === 401 || status === 403 || status === 422;
  const description = `${error.name ?? "resend_error"}: ${error.message ?? "unknown"} (${status})`;
  // Resend answers 429 both for its request rate and for the daily / monthly quota; only the first passes in seconds.
  if (status === 429 && /quota/i.test(error.name ?? "")) return { ok: false, error: description, quota: true };
  const retryAfterHeader = Number(headers?.["retry-after"]);
  const retryAfterSeconds = status === 429 ? (Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : 1) : undefined;
  return { ok: false, error: description, permanent, retryAfterSeconds };
}
