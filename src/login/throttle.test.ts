import { expect, test } from "bun:test";
import { SECOND_FACTOR_THROTTLE, throttleWait } from "./throttle.ts";

const at = 1_700_000_000;
const state = (failures: number) => ({ failures, lastFailureAt: at });

test("the free failures cost nothing; each one after them doubles the wait, up to an hour", () => {
  const policy = SECOND_FACTOR_THROTTLE;
  expect(throttleWait(policy, null, at)).toBe(0);
  expect(throttleWait(policy, state(4), at)).toBe(0);
  expect(throttleWait(policy, state(5), at)).toBe(60);
  expect(throttleWait(policy, state(6), at)).toBe(120);
  expect(throttleWait(policy, state(8), at)).toBe(480);
  expect(throttleWait(policy, state(12), at)).toBe(3600);
  expect(throttleWait(policy, state(10_000), at)).toBe(3600);
  // The wait runs from the last failure.
  expect(throttleWait(policy, state(5), at + 59)).toBe(1);
  expect(throttleWait(policy, state(5), at + 60)).toBe(0);
});

test("at most about forty guesses a day get judged once the waits reach their cap", () => {
  // The attacker guesses the moment each wait ends, all day long.
  let now = at;
  let judged = 0;
  while (now < at + 24 * 3600) {
    judged += 1;
    now += Math.max(1, throttleWait(SECOND_FACTOR_THROTTLE, { failures: judged, lastFailureAt: now }, now));
  }
  expect(judged).toBeLessThan(40);
});
