/**
 * Counts failed sign-ins per client IP in a sliding window. Once the limit is
 * reached every attempt from that IP, even a correct one, is refused until the
 * oldest failure leaves the window. Only failures count.
 */
export class FailureRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowSeconds: number) {}

  /** Seconds until the IP may try again, or 0 when it may try now. */
  retryAfter(ip: string, now = Date.now()): number {
    const recent = this.recent(ip, now);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowSeconds * 1000 - now) / 1000));
  }

  recordFailure(ip: string, now = Date.now()): void {
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
