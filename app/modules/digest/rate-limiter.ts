/**
 * Spaces request starts at least 1/rate seconds apart. Work done between two requests overlaps the wait, so
 * the sender runs at the provider's limit as long as that work is faster than one interval.
 */
export class RequestSpacer {
  private nextSlot = 0;
  constructor(
    private readonly requestsPerSecond: number,
    private readonly now = () => Date.now(),
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {}

  async wait() {
    const now = this.now();
    const start = Math.max(now, this.nextSlot);
    this.nextSlot = start + 1000 / this.requestsPerSecond;
    if (start > now) await this.sleep(start - now);
  }

  /** After a 429: nothing starts before retry-after has passed. */
  pauseFor(seconds: number) {
    this.nextSlot = Math.max(this.nextSlot, this.now() + seconds * 1000);
  }
}
