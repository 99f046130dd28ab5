import type { AttemptLimit } from "../context/index.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Store } from "../store/index.ts";

/**
 * At most `limit` attempts per key in any `window` seconds, counted in the store so that every
 * process on it counts the same attempts: a client spreading its guesses over the nodes behind a
 * load balancer gets no more than from one. Once the limit is reached, every further attempt waits
 * until the oldest of the last `limit` leaves the window (as the in-memory lib/rate-limiter.ts did).
 * `scope` names the limit, so that limits sharing a key (an IP) count apart.
 */
export function storeAttemptLimit(store: Store, scope: string, limit: number, window: number, clock: () => number = nowSeconds): AttemptLimit {
  return {
    async retryAfter(key) {
      const now = clock();
      let counted = 0;
      for (const { at, n } of await store.attempts.recent(scope, key, now, window, limit)) {
        counted += n;
        if (counted >= limit) return Math.max(1, at + window - now);
      }
      return 0;
    },
    async record(key) {
      await store.attempts.record(scope, key, clock(), window);
    },
  };
}
