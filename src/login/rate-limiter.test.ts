import { expect, test } from "bun:test";
import { AttemptLimiter } from "./rate-limiter.ts";

test("refuses an IP once it reaches the failure limit, until the oldest failure leaves the window", () => {
  const limiter = new AttemptLimiter(3, 60);
  const t0 = 1_000_000;
  for (let i = 0; i < 3; i++) {
    expect(limiter.retryAfter("10.0.0.1", t0 + i * 1000)).toBe(0);
    limiter.record("10.0.0.1", t0 + i * 1000);
  }
  expect(limiter.retryAfter("10.0.0.1", t0 + 3000)).toBe(57);
  expect(limiter.retryAfter("10.0.0.2", t0 + 3000)).toBe(0);
  expect(limiter.retryAfter("10.0.0.1", t0 + 60_001)).toBe(0);
});
