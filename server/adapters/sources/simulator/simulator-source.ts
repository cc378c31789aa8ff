import type { Clock, MentionSink, MentionSource } from '../../../ports/index.js';
import { createSimulator, type Simulator, type SimulatorOptions } from './generator.js';

/** The embedded default source: polls the deterministic simulator every `intervalMs`. */
export function createSimulatorSource(
  opts: SimulatorOptions,
  clock: Clock,
  intervalMs = 200
): MentionSource {
  if (!(intervalMs > 0)) throw new RangeError('simulator intervalMs must be > 0');
  // Created on first start and kept across restarts so mention ids are never reused.
  let simulator: Simulator | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  return {
    name: 'simulator',
    start(sink: MentionSink): void {
      if (timer !== null) clearInterval(timer);
      const sim = simulator ?? (simulator = createSimulator(opts, clock.now()));
      timer = setInterval(() => {
        const batch = sim.next(clock.now());
        if (batch.length > 0) void sink(batch);
      }, intervalMs);
    },
    stop(): Promise<void> {
      if (timer !== null) clearInterval(timer);
      timer = null;
      return Promise.resolve();
    }
  };
}
