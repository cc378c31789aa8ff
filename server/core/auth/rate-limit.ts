/**
 * Counting limiters with the time passed in: login attempts per user and address, events per
 * socket. Pure (a Map of counters); no timers.
 */

/** At most `limit` failures per key within `windowMs`; then refused until the window ends. */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Keys remembered at most (oldest forgotten first): bounds memory under a spray of names. */
    readonly maxKeys = 10_000
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it may now. */
  retryAfter(key: string, now: number): number {
    const list = this.recent(key, now);
    if (list.length < this.limit) return 0;
    return Math.max(1, list[0]! + this.windowMs - now);
  }

  /** Records a failure of `key` at `now`. */
  fail(key: string, now: number): void {
    const list = this.recent(key, now);
    list.push(now);
    this.failures.delete(key);
    this.failures.set(key, list);
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  /** Forgets `key`'s failures (a successful sign-in). */
  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const list = this.failures.get(key) ?? [];
    while (list.length && list[0]! <= now - this.windowMs) list.shift();
    return list;
  }
}

/** A token bucket: `burst` events at once, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    now: number
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; false when the bucket is empty (the event is refused). */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.perSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
