import type { Db } from "./db.server";

/**
 * One pacer for every request to the mail provider from every process: the next free request slot lives in
 * PostgreSQL (table mail_send_pacer) and is claimed in one statement, `next_at = greatest(next_at, now) + 1/rate`,
 * so N instances together stay within the provider's per-account rate. Times are the database's clock, so the
 * instances' clocks need not agree.
 */
export class SharedSendPacer {
  constructor(
    private readonly sql: () => Db,
    readonly requestsPerSecond: number,
    private readonly name = "resend",
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {}

  private get intervalSeconds() {
    return 1 / this.requestsPerSecond;
  }

  /** Takes the next free slot of all instances and waits until it has come. */
  async takeSlot(): Promise<void> {
    const interval = this.intervalSeconds;
    const [row] = await this.sql()<[{ wait_ms: number }]>`
      insert into mail_send_pacer as pacer (name, next_at)
      values (${this.name}, clock_timestamp() + make_interval(secs => ${interval}::float8))
      on conflict (name) do update
        set next_at = greatest(pacer.next_at, clock_timestamp()) + make_interval(secs => ${interval}::float8)
      returning greatest(0, extract(epoch from next_at - clock_timestamp()) * 1000 - ${interval * 1000}::float8)::float8 as wait_ms`;
    if (row.wait_ms > 0) await this.sleep(row.wait_ms);
  }

  /**
   * A slot for bulk mail (digests): while `transactionalWaiting` says mail such as sign-in links is due, bulk mail
   * leaves the slots to it. After `maxYieldSeconds` it takes one anyway (and `transactionalWaiting` ignores mail due
   * for long), so due mail that no worker picks up (workers switched off) cannot hold the digests back for ever.
   */
  async takeBulkSlot(transactionalWaiting: () => Promise<boolean>, maxYieldSeconds = 30): Promise<void> {
    const maxYields = Math.ceil(maxYieldSeconds * this.requestsPerSecond);
    for (let yields = 0; yields < maxYields && (await transactionalWaiting()); yields++) {
      await this.sleep(this.intervalSeconds * 1000);
    }
    await this.takeSlot();
  }

  /** After a rate-limit answer: no instance sends again before `retry-after` has passed. */
  async holdOff(seconds: number): Promise<void> {
    await this.sql()`
      insert into mail_send_pacer as pacer (name, next_at)
      values (${this.name}, clock_timestamp() + make_interval(secs => ${seconds}::float8))
      on conflict (name) do update
        set next_at = greatest(pacer.next_at, clock_timestamp() + make_interval(secs => ${seconds}::float8))`;
  }
}
