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

test("recording past the limit keeps refusing until the limit-th most recent attempt leaves the window", () => {
  const limiter = new AttemptLimiter(2, 60);
  const t0 = 5_000_000;
  for (const at of [0, 10_000, 20_000]) limiter.record("k", t0 + at);
  // The attempt at t0 has left; the two at +10 s and +20 s still fill the limit.
  expect(limiter.retryAfter("k", t0 + 61_000)).toBe(9);
  expect(limiter.retryAfter("k", t0 + 69_999)).toBe(1);
  expect(limiter.retryAfter("k", t0 + 70_000)).toBe(0);
  // A new attempt joins the one at +20 s: limited again until that one leaves.
  limiter.record("k", t0 + 70_000);
  expect(limiter.retryAfter("k", t0 + 70_000)).toBe(10);
});

test("a key whose attempts all left the window starts afresh; keys never share attempts", () => {
  const limiter = new AttemptLimiter(1, 10);
  limiter.record("a", 1_000);
  expect(limiter.retryAfter("a", 1_000)).toBe(10);
  expect(limiter.retryAfter("b", 1_000)).toBe(0);
  expect(limiter.retryAfter("a", 11_000)).toBe(0);
  limiter.record("a", 11_000);
  expect(limiter.retryAfter("a", 11_001)).toBe(10);
});

test("past its capacity the limiter forgets the least recently used key, not the one just checked", () => {
  const limiter = new AttemptLimiter(1, 600, 3);
  const now = 1_000_000;
  for (const key of ["a", "b", "c"]) limiter.record(key, now);
  expect(limiter.retryAfter("a", now)).toBeGreaterThan(0); // a is now the most recently used
  limiter.record("d", now);
  expect(limiter.retryAfter("b", now)).toBe(0);
  for (const key of ["a", "c", "d"]) expect(limiter.retryAfter(key, now)).toBeGreaterThan(0);
  // Those checks touched a, c, d in that order, so a is now the least recently used.
  limiter.record("e", now);
  expect(limiter.retryAfter("a", now)).toBe(0);
  for (const key of ["c", "d", "e"]) expect(limiter.retryAfter(key, now)).toBeGreaterThan(0);
});

/**
 * Counts the work a limiter does without timing it: the largest size any Map reaches through set,
 * and the steps taken over Map iterators, which may not pass `stepBudget` (the old limiter swept
 * every key on every call past 100,000 keys: this stops it at once instead of after many minutes).
 */
function countMapWork(stepBudget: number, run: () => void): { maxSize: number; iteratorSteps: number } {
  const mapSet = Map.prototype.set;
  const iteratorPrototype = Object.getPrototypeOf(new Map().keys()) as { next: () => unknown };
  const iteratorNext = iteratorPrototype.next;
  const work = { maxSize: 0, iteratorSteps: 0 };
  Map.prototype.set = function (this: Map<unknown, unknown>, key: unknown, value: unknown) {
    const result = mapSet.call(this, key, value);
    work.maxSize = Math.max(work.maxSize, this.size);
    return result;
  };
  iteratorPrototype.next = function (this: unknown) {
    if (++work.iteratorSteps > stepBudget) throw new Error(`more than ${stepBudget} steps over Map iterators: a sweep over the keys`);
    return iteratorNext.call(this);
  };
  try {
    run();
  } finally {
    Map.prototype.set = mapSet;
    iteratorPrototype.next = iteratorNext;
  }
  return work;
}

test("200,000 distinct keys: the map stays within its capacity and a call does the same work as with 10 keys", () => {
  const now = 9_000_000;
  const measure = (keys: number) => {
    const limiter = new AttemptLimiter(10, 60, 100_000);
    // A constant number of steps per call at most: no call may walk the keys.
    const filling = countMapWork(2 * keys, () => {
      for (let i = 0; i < keys; i++) limiter.record(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, now);
    });
    const calls = countMapWork(2 * 20_000, () => {
      for (let i = 0; i < 10_000; i++) {
        const key = `172.16.${(i >> 8) & 255}.${i & 255}`;
        limiter.retryAfter(key, now + 1);
        limiter.record(key, now + 1);
      }
    });
    return { filling, calls };
  };
  const few = measure(10);
  const many = measure(200_000);
  expect(many.filling.maxSize).toBeLessThanOrEqual(100_000);
  expect(many.calls.maxSize).toBeLessThanOrEqual(100_000);
  expect(many.calls.iteratorSteps).toBe(few.calls.iteratorSteps);
  // Control: the keys were really held up to the capacity, so the bound above was reached, not avoided.
  expect(many.filling.maxSize).toBe(100_000);
});
