import { describe, expect, it } from "vitest";
import { TokenBucketLimiter } from "./rate-limit.server";

describe("TokenBucketLimiter", () => {
  it("allows a burst up to the capacity, then refuses with the wait until the next token", () => {
    const limiter = new TokenBucketLimiter(3, 0.5);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.take("a", t0)).toEqual({ allowed: true });
    expect(limiter.take("a", t0)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(limiter.take("a", t0 + 1000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take("a", t0 + 2000)).toEqual({ allowed: true });
    expect(limiter.take("a", t0 + 2000).allowed).toBe(false);
  });

  it("keeps one bucket per key and never refills above the capacity", () => {
    const limiter = new TokenBucketLimiter(2, 1);
    const t0 = 5_000;
    limiter.take("a", t0);
    limiter.take("a", t0);
    expect(limiter.take("a", t0).allowed).toBe(false);
    expect(limiter.take("b", t0).allowed).toBe(true);
    const later = t0 + 3_600_000;
    expect(limiter.take("a", later).allowed).toBe(true);
    expect(limiter.take("a", later).allowed).toBe(true);
    expect(limiter.take("a", later).allowed).toBe(false);
  });

  it("bounds its memory by forgetting buckets that are full again", () => {
    const limiter = new TokenBucketLimiter(1, 1, 2);
    limiter.take("a", 0);
    limiter.take("b", 0);
    // "a" and "b" have refilled by t=10s, so making room for "c" does not reset an exhausted client.
    expect(limiter.take("c", 10_000).allowed).toBe(true);
    expect(limiter.take("c", 10_000).allowed).toBe(false);
  });
});
