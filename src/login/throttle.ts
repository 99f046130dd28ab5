import type { Throttle } from "../context/index.ts";
import type { Store, ThrottleState } from "../store/index.ts";

/**
 * Failure throttling per account, kept in the store so that it survives a restart and counts across
 * every process on the same store. A few failures are free; after that each further attempt waits
 * twice as long as the last (1 minute, 2, 4, … up to an hour), so an attacker who holds the password
 * gets a few dozen guesses at a six-digit code per day instead of hundreds of thousands.
 *
 * Counts are kept apart per *who is trying*: an attacker's failures from a device the account has
 * never signed in on fill the account's "untrusted" count, while a device the user signed in on
 * before (it holds a device token) has its own count. So an attacker can slow down only the
 * untrusted path; the real user keeps signing in from their own devices, and with a passkey or a
 * wallet, which are never throttled here (OWASP "device cookies" against account lockout).
 * @see https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies
 * @see https://pages.nist.gov/800-63-4/sp800-63b.html#throttle
 */
export interface ThrottlePolicy {
  /** Failures allowed before any waiting. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones, seconds; it doubles with each further one. */
  firstDelay: number;
  maxDelay: number;
  /** A count idle this long is forgotten. */
  forgetAfter: number;
}

/** Wrong second-factor codes (authenticator app, recovery code, emailed code) per account. */
export const SECOND_FACTOR_THROTTLE: ThrottlePolicy = { freeFailures: 5, firstDelay: 60, maxDelay: 3600, forgetAfter: 24 * 3600 };
/** Wrong passwords per username. */
export const PASSWORD_THROTTLE: ThrottlePolicy = { freeFailures: 10, firstDelay: 60, maxDelay: 3600, forgetAfter: 24 * 3600 };

/** Seconds until the next attempt may be judged, or 0. */
export function throttleWait(policy: ThrottlePolicy, state: ThrottleState | null, now: number): number {
  if (!state || state.failures < policy.freeFailures) return 0;
  const delay = Math.min(policy.maxDelay, policy.firstDelay * 2 ** Math.min(30, state.failures - policy.freeFailures));
  return Math.max(0, state.lastFailureAt + delay - now);
}


export function storeThrottle(store: Store, policy: ThrottlePolicy): Throttle {
  return {
    async check(tenant, key, now) {
      const state = await store.throttles.get(tenant, key, now);
      return { wait: throttleWait(policy, state, now), failures: state?.failures ?? 0 };
    },
    async fail(tenant, key, now) {
      const state = await store.throttles.recordFailure(tenant, key, now, policy.forgetAfter);
      return { failures: state.failures, lockedNow: state.failures === policy.freeFailures };
    },
    async succeed(tenant, key, failures) {
      if (failures > 0) await store.throttles.clear(tenant, key);
    },
  };
}

/** The keys: an account's untrusted path, and one known device of it. */
export const throttleKeys = {
  secondFactor: (sub: string) => `2fa:${sub}`,
  password: (usernameDigest: string) => `pwd:${usernameDigest}`,
  device: (kind: "2fa" | "pwd", deviceId: string) => `${kind}-device:${deviceId}`,
};
