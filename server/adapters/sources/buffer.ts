import type { Mention } from '../../../src/lib/shared/types';
import { parseJsonMention } from '../../core/mention-schema';
import type { MentionSink } from '../../ports';
import type { HealthTracker } from './health';

/** Settings of a source buffer. */
export interface SourceBufferOptions {
  /** Most mentions held while the pipeline is busy; beyond it new ones are dropped and counted. */
  capacity?: number;
  /** Most mentions handed to the sink in one call. */
  batchSize?: number;
}

/**
 * The bounded queue between a live connector and the pipeline. Mentions are validated with the
 * same schema as the ingest API, then handed to the sink one batch at a time: a slow pipeline
 * fills the buffer instead of memory, and once it is full new mentions are dropped and counted
 * (visible in /metrics and on the wall), never silently lost.
 */
export class SourceBuffer {
  private queue: Mention[] = [];
  private head = 0;
  private draining: Promise<void> | null = null;
  private closed = false;
  private readonly capacity: number;
  private readonly batchSize: number;

  constructor(
    private readonly sink: MentionSink,
    private readonly health: HealthTracker,
    opts: SourceBufferOptions = {}
  ) {
    this.capacity = opts.capacity ?? 10_000;
    this.batchSize = opts.batchSize ?? 500;
  }

  /** Mentions waiting for the pipeline. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /**
   * Validates and enqueues candidate mentions; returns how many were queued. Invalid ones are
   * reported as the source's last error; those over capacity are dropped and counted.
   */
  offer(candidates: readonly unknown[]): number {
    if (this.closed) return 0;
    let queued = 0;
    let dropped = 0;
    for (const c of candidates) {
      // Connectors hand over freshly built plain objects, which the Ajv fast path may normalise in
      // place; anything it does not accept goes to zod, which decides and words the errors.
      const r = parseJsonMention(c);
      if (!r.ok) {
        const e = r.errors[0]!;
        this.health.error(`a ${this.health.kind} post was refused: ${e.path}: ${e.message}`);
        continue;
      }
      if (this.size >= this.capacity) {
        dropped++;
        continue;
      }
      this.queue.push(r.mention);
      queued++;
    }
    if (dropped) this.health.droppedMentions(dropped);
    if (queued) this.kick();
    return queued;
  }

  private kick(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      if (this.size > 0 && !this.closed) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.size > 0) {
      const end = Math.min(this.queue.length, this.head + this.batchSize);
      const batch = this.queue.slice(this.head, end);
      this.head = end;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      let newest = 0;
      for (const m of batch) if (m.createdAt > newest) newest = m.createdAt;
      // One batch in flight per source: the await is the backpressure.
      await this.sink(batch);
      this.health.delivered(batch.length, newest);
    }
  }

  /** Stops taking mentions and waits until the queued ones are committed. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
  }
}
