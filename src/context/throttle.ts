/** A failure count per key (an account, a known device) that says how long the next attempt must wait; login/throttle.ts keeps it in the store. */
export interface Throttle {
  /** Seconds to wait before an attempt under this key may be judged (0: now), and the failures counted so far. */
  check(tenant: string, key: string, now: number): Promise<{ wait: number; failures: number }>;
  /** Counts a failure; `lockedNow` is true for the failure that first made the key wait. */
  fail(tenant: string, key: string, now: number): Promise<{ failures: number; lockedNow: boolean }>;
  /** Forgets the count after a success (a write only when there was one). */
  succeed(tenant: string, key: string, failures: number): Promise<void>;
}
