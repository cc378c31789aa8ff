/** A reactive clock that ticks on every whole second while started. */
export class WallClock {
  /** Client epoch ms, refreshed just after each whole second. */
  now = $state.raw(Date.now());

  /** Starts ticking; returns a function that stops it. */
  start(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const step = (): void => {
      this.now = Date.now();
      timer = setTimeout(step, 1000 - (this.now % 1000) + 10);
    };
    step();
    return () => clearTimeout(timer);
  }
}
