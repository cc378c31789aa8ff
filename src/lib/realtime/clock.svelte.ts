/**
 * A reactive clock that steps once a second while started. Left alone it steps just after each
 * whole second; `sync()` steps it now instead (the wall calls it when a tick's data is applied),
 * and its own timer then waits until a second after that. On a 4K wall drawn without a GPU, every
 * frame that changes anything costs a full composite, so the clock changing in the tick's frame
 * rather than in a frame of its own is worth a frame a second.
 */
export class WallClock {
  /** Client epoch ms, refreshed once a second. */
  now = $state.raw(Date.now());

  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  /** Starts ticking; returns a function that stops it. */
  start(): () => void {
    this.#running = true;
    this.#step(Date.now(), false);
    return () => {
      this.#running = false;
      clearTimeout(this.#timer);
    };
  }

  /**
   * Steps the clock now, and its own timer a little over a second later: while ticks arrive every
   * second the clock moves with them, and when they stop it goes on by itself.
   */
  sync(): void {
    if (this.#running) this.#step(Date.now(), true);
  }

  #step(at: number, synced: boolean): void {
    this.now = at;
    clearTimeout(this.#timer);
    // Synced: wait out the next tick (a second, with room for jitter) before stepping alone.
    const wait = synced ? SYNC_FALLBACK_MS : 1000 - (at % 1000) + 10;
    this.#timer = setTimeout(() => this.#step(Date.now(), false), wait);
  }
}

/** After a sync, how long the clock waits for the next one before stepping by itself. */
export const SYNC_FALLBACK_MS = 1250;
