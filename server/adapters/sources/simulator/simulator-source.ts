import type { SourceHealth } from '../../../../src/lib/shared/types';
import type { Clock, MentionSink, MentionSource } from '../../../ports/index.js';
import { HealthTracker } from '../health.js';
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
  const health = new HealthTracker('simulator', 'simulator', clock);

  return {
    name: 'simulator',
    kind: 'simulator',
    health: (): SourceHealth => health.snapshot(),
    start(sink: MentionSink): void {
      if (timer !== null) clearInterval(timer);
      const sim = simulator ?? (simulator = createSimulator(opts, clock.now()));
      health.setState('connected');
      timer = setInterval(() => {
        const batch = sim.next(clock.now());
        if (batch.length === 0) return;
        let newest = 0;
        for (const m of batch) if (m.createdAt > newest) newest = m.createdAt;
        void sink(batch).then(() => health.delivered(batch.length, newest));
      }, intervalMs);
    },
    stop(): Promise<void> {
      if (timer !== null) clearInterval(timer);
      timer = null;
      health.setState('stopped');
      return Promise.resolve();
    }
  };
}
