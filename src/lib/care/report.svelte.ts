import { failureOf, lastDays, type Loaded } from './api';

/**
 * A care report (agents, value) over the last few days, reloaded periodically: the latest data,
 * and whether the last load failed or was refused. One instance per panel.
 */
export class PeriodicReport<T> {
  data = $state.raw<T | null>(null);
  error = $state<string | null>(null);
  forbidden = $state(false);
  loading = $state(false);

  constructor(
    private readonly load: (
      range: { from: number; to: number },
      signal: AbortSignal
    ) => Promise<Loaded<T>>
  ) {}

  /**
   * Loads the last `days` now and every `refreshMs` after; returns what stops it (an `$effect`'s
   * cleanup). A load still running when the next starts is aborted.
   */
  follow(days: number, refreshMs: number): () => void {
    let current: AbortController | null = null;
    const run = async (): Promise<void> => {
      current?.abort();
      const c = new AbortController();
      current = c;
      this.loading = true;
      const res = await this.load(lastDays(days, Date.now()), c.signal);
      if (c.signal.aborted) return;
      this.loading = false;
      if (res.ok) {
        this.data = res.data;
        this.error = null;
        this.forbidden = false;
      } else if (failureOf(res.status) === 'forbidden') {
        this.forbidden = true;
      } else {
        this.error = res.error;
      }
    };
    void run();
    const timer = setInterval(() => void run(), refreshMs);
    return () => {
      clearInterval(timer);
      current?.abort();
    };
  }
}
