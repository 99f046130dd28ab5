/**
 * Counts attempts per key (a client IP, an email address) in a sliding window.
 * Once the limit is reached every further attempt, even a correct one, is refused
 * until the oldest recorded attempt leaves the window. The caller decides what
 * counts: sign-in records only failures, recovery records every request.
 *
 * Every call costs O(limit) whatever the number of keys, so that an attacker who
 * spreads attempts over many addresses cannot make each request slower: a key
 * keeps only its last `limit` attempts (an older one can no longer decide
 * anything), and at most `capacity` keys are held, the least recently used one
 * forgotten first. The recency order is a linked list beside the Map rather than
 * the Map's own order: JavaScriptCore leaves deleted entries at the head of a
 * Map until it rehashes, so taking its first key gets slower with every eviction.
 */
export class AttemptLimiter {
  private readonly entries = new Map<string, Entry>();
  /** Least recently used first. */
  private oldest: Entry | null = null;
  private newest: Entry | null = null;

  constructor(private readonly limit: number, private readonly windowSeconds: number, private readonly capacity = 100_000) {}

  /** Seconds until the IP may try again, or 0 when it may try now. */
  retryAfter(ip: string, now = Date.now()): number {
    const entry = this.touch(ip, now);
    if (!entry || entry.times.length < this.limit) return 0;
    return Math.max(1, Math.ceil((entry.times[0]! + this.windowSeconds * 1000 - now) / 1000));
  }

  record(ip: string, now = Date.now()): void {
    let entry = this.touch(ip, now);
    if (!entry) {
      this.forgetOldestIfStale(now);
      if (this.entries.size >= this.capacity && this.oldest) this.forget(this.oldest);
      entry = { key: ip, times: [], older: null, newer: null };
      this.entries.set(ip, entry);
      this.append(entry);
    }
    if (entry.times.length >= this.limit) entry.times.shift();
    entry.times.push(now);
  }

  /** The key's entry with only its attempts still in the window, now the most recently used; null when none are left. */
  private touch(key: string, now: number): Entry | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    const cutoff = now - this.windowSeconds * 1000;
    let expired = 0;
    while (expired < entry.times.length && entry.times[expired]! <= cutoff) expired++;
    if (expired === entry.times.length) {
      this.forget(entry);
      return null;
    }
    if (expired > 0) entry.times.splice(0, expired);
    if (entry !== this.newest) {
      this.unlink(entry);
      this.append(entry);
    }
    return entry;
  }

  /** One look at the least recently used key: gone when all its attempts have left the window. */
  private forgetOldestIfStale(now: number): void {
    const oldest = this.oldest;
    if (oldest && oldest.times[oldest.times.length - 1]! <= now - this.windowSeconds * 1000) this.forget(oldest);
  }

  private forget(entry: Entry): void {
    this.entries.delete(entry.key);
    this.unlink(entry);
  }

  private append(entry: Entry): void {
    entry.older = this.newest;
    entry.newer = null;
    if (this.newest) this.newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
  }

  private unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    entry.older = entry.newer = null;
  }
}

interface Entry {
  readonly key: string;
  /** Times of the key's last `limit` attempts, oldest first. */
  times: number[];
  older: Entry | null;
  newer: Entry | null;
}
