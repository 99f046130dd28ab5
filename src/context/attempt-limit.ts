/** A limit on attempts per key (a client IP, an address) in a sliding window; login/attempt-limit.ts keeps the counts in the store, shared by every node. */
export interface AttemptLimit {
  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string): Promise<number>;
  /** Counts one attempt of `key`. */
  record(key: string): Promise<void>;
}
