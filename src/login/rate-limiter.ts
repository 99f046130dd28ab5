/**
 * Counts attempts per key (a client IP, an email address) in a sliding window.
 * Once the limit is reached every further attempt, even a correct one, is refused
 * until the oldest recorded attempt leaves the window. The caller decides what
 * counts: sign-in records only failures, recovery records every request.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowSeconds: number) {}

  /** Seconds until the IP may try again, or 0 when it may try now. */
  retryAfter(ip: string, now = Date.now()): number {
    const recent = this.recent(ip, now);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowSeconds * 1000 - now) / 1000));
  }

  record(ip: string, now = Date.now()): void {
    const recent = this.recent(ip, now);
    recent.push(now);
    this.failures.set(ip, recent);
    if (this.failures.size > 100_000) this.prune(now);
  }

  private recent(ip: string, now: number): number[] {
    const cutoff = now - this.windowSeconds * 1000;
    return (this.failures.get(ip) ?? []).filter((at) => at > cutoff);
  }

  private prune(now: number): void {
    for (const ip of this.failures.keys()) if (this.recent(ip, now).length === 0) this.failures.delete(ip);
  }
}
