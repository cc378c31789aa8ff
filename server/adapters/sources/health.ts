import type { SourceHealth, SourceState } from '../../../src/lib/shared/types';
import type { Clock } from '../../ports';

const RATE_SECONDS = 10;

/** Keeps one source's health: state, rate over the last 10 s, last event, lag, last error. */
export class HealthTracker {
  private state: SourceState = 'idle';
  private lastEventAt: number | null = null;
  private lagMs: number | null = null;
  private lastError: SourceHealth['lastError'] = null;
  private received = 0;
  private dropped = 0;
  private reconnects = 0;
  /** Per-second counts for the rate, indexed by second modulo the ring size. */
  private readonly perSecond = new Float64Array(RATE_SECONDS);
  private readonly secondOf = new Float64Array(RATE_SECONDS).fill(-1);

  constructor(
    readonly name: string,
    readonly kind: string,
    private readonly clock: Clock,
    /** Called whenever the state or the error changes, so the wall hears of it at once. */
    private readonly onChange: () => void = () => {}
  ) {}

  /** Moves to a new state; `connected` clears the last error. */
  setState(state: SourceState): void {
    if (state === this.state) return;
    this.state = state;
    if (state === 'connected') this.lastError = null;
    this.onChange();
  }

  /** Records an error in words a user can act on. */
  error(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.lastError = { message: message.slice(0, 300), at: this.clock.now() };
    this.onChange();
  }

  /** Records a reconnect attempt. */
  reconnecting(): void {
    this.reconnects++;
  }

  /** Records mentions delivered; `newestCreatedAt` gives the lag. */
  delivered(count: number, newestCreatedAt: number): void {
    if (count <= 0) return;
    const now = this.clock.now();
    const second = Math.floor(now / 1000);
    const i = second % RATE_SECONDS;
    if (this.secondOf[i] !== second) {
      this.secondOf[i] = second;
      this.perSecond[i] = 0;
    }
    this.perSecond[i] = (this.perSecond[i] ?? 0) + count;
    this.received += count;
    this.lastEventAt = now;
    this.lagMs = Math.max(0, now - newestCreatedAt);
  }

  /** Records mentions dropped because the buffer was full. */
  droppedMentions(count: number): void {
    this.dropped += count;
  }

  /** The health as served on the wire; `buffered` comes from the source's buffer. */
  snapshot(buffered = 0): SourceHealth {
    const second = Math.floor(this.clock.now() / 1000);
    let recent = 0;
    for (let i = 0; i < RATE_SECONDS; i++) {
      const s = this.secondOf[i]!;
      // The last complete seconds (the current one is still filling).
      if (s < second && s >= second - RATE_SECONDS) recent += this.perSecond[i]!;
    }
    return {
      name: this.name,
      kind: this.kind,
      state: this.state,
      eventsPerSec: Math.round((recent / RATE_SECONDS) * 100) / 100,
      lastEventAt: this.lastEventAt,
      lagMs: this.lagMs,
      lastError: this.lastError,
      received: this.received,
      dropped: this.dropped,
      buffered,
      reconnects: this.reconnects
    };
  }
}
