import { describe, expect, it } from 'vitest';
import type { Mention } from '../../src/lib/shared/types';
import { SourceBuffer } from '../../server/adapters/sources/buffer';
import { HealthTracker } from '../../server/adapters/sources/health';
import { makeMention } from '../helpers/fixtures';

function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** A sink that holds every batch until the test releases it. */
function gatedSink() {
  const batches: Mention[][] = [];
  const gates: (() => void)[] = [];
  return {
    batches,
    sink: (ms: Mention[]) =>
      new Promise<number>((resolve) => {
        batches.push(ms);
        gates.push(() => resolve(ms.length));
      }),
    releaseOne: async () => {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
}

describe('HealthTracker', () => {
  it('reports state, rate over complete seconds, last event, lag and errors', () => {
    const clock = fakeClock();
    let changes = 0;
    const h = new HealthTracker('bluesky', 'bluesky', clock, () => changes++);
    expect(h.snapshot()).toMatchObject({ state: 'idle', eventsPerSec: 0, lastEventAt: null });
    h.setState('connecting');
    h.error(new Error('connection refused'));
    expect(h.snapshot().lastError).toEqual({ message: 'connection refused', at: clock.now() });
    h.setState('connected');
    expect(h.snapshot().lastError).toBeNull();
    expect(changes).toBe(3);
    for (let s = 0; s < 10; s++) {
      h.delivered(20, clock.now() - 1500);
      clock.advance(1000);
    }
    const snap = h.snapshot(7);
    expect(snap).toMatchObject({ eventsPerSec: 20, received: 200, lagMs: 1500, buffered: 7 });
    expect(snap.lastEventAt).toBe(clock.now() - 1000);
    clock.advance(60_000);
    expect(h.snapshot().eventsPerSec).toBe(0);
    h.reconnecting();
    h.droppedMentions(5);
    expect(h.snapshot()).toMatchObject({ reconnects: 1, dropped: 5, received: 200 });
  });
});

describe('SourceBuffer', () => {
  it('hands batches to the sink one at a time, in order', async () => {
    const clock = fakeClock();
    const health = new HealthTracker('s', 'test', clock);
    const g = gatedSink();
    const buf = new SourceBuffer(g.sink, health, { capacity: 100, batchSize: 3 });
    const ms = Array.from({ length: 7 }, () => makeMention());
    expect(buf.offer(ms)).toBe(7);
    expect(g.batches).toHaveLength(1);
    expect(buf.size).toBe(4);
    await g.releaseOne();
    expect(g.batches).toHaveLength(2);
    await g.releaseOne();
    await g.releaseOne();
    expect(g.batches.flat().map((m) => m.id)).toEqual(ms.map((m) => m.id));
    expect(health.snapshot().received).toBe(7);
    await buf.close();
  });

  it('drops and counts what does not fit while the pipeline is busy; memory stays bounded', async () => {
    const health = new HealthTracker('s', 'test', fakeClock());
    const g = gatedSink();
    const buf = new SourceBuffer(g.sink, health, { capacity: 50, batchSize: 10 });
    for (let i = 0; i < 100; i++) buf.offer([makeMention()]);
    // The first mention went straight to the sink; 50 wait; the other 49 were dropped.
    expect(buf.size).toBe(50);
    expect(health.snapshot()).toMatchObject({ dropped: 49 });
    for (let i = 0; i < 6; i++) await g.releaseOne();
    expect(g.batches.flat()).toHaveLength(51);
    expect(buf.size).toBe(0);
    await buf.close();
  });

  it('refuses invalid candidates with an error that names the field', async () => {
    const health = new HealthTracker('rss:x', 'rss', fakeClock());
    const g = gatedSink();
    const buf = new SourceBuffer(g.sink, health);
    const bad = { ...makeMention(), url: 'javascript:alert(1)' };
    expect(buf.offer([bad, makeMention(), { nonsense: true }])).toBe(1);
    expect(health.snapshot().lastError?.message).toMatch(/refused: .*: /);
    await g.releaseOne();
    await buf.close();
  });

  it('close() waits for queued mentions and takes no more', async () => {
    const health = new HealthTracker('s', 'test', fakeClock());
    const got: Mention[] = [];
    const buf = new SourceBuffer(
      async (ms) => {
        await new Promise((r) => setTimeout(r, 5));
        got.push(...ms);
        return ms.length;
      },
      health,
      { batchSize: 2 }
    );
    buf.offer([makeMention(), makeMention(), makeMention()]);
    await buf.close();
    expect(got).toHaveLength(3);
    expect(buf.offer([makeMention()])).toBe(0);
  });
});
