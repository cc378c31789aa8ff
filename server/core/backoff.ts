/** Settings of an exponential backoff. */
export interface BackoffOptions {
  /** Delay cap of the first retry, ms. */
  baseMs: number;
  /** Largest delay cap, ms. */
  maxMs: number;
}

/** Defaults for network connectors: 0.5 s doubling up to 1 min. */
export const CONNECTOR_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 60_000 };

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry): exponential backoff with
 * "full jitter", a uniform draw in [cap / 2, cap] where cap = min(maxMs, baseMs · 2^attempt).
 * The jitter spreads reconnects of many walls after an outage; keeping half the cap avoids
 * hammering a server that has just refused us. `random` is a draw in [0, 1), passed in so the
 * core stays deterministic under test.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: number): number {
  const n = Math.max(0, Math.min(Math.floor(attempt), 30));
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** n);
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(cap / 2 + (cap / 2) * r);
}
