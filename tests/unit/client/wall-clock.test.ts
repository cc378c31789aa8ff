import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYNC_FALLBACK_MS, WallClock } from '../../../src/lib/realtime/clock.svelte';

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('WallClock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0 + 400);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('steps just after each whole second when left alone', () => {
    const clock = new WallClock();
    const stop = clock.start();
    expect(clock.now).toBe(T0 + 400);
    vi.advanceTimersByTime(609);
    expect(clock.now).toBe(T0 + 400);
    vi.advanceTimersByTime(1);
    expect(clock.now).toBe(T0 + 1010);
    vi.advanceTimersByTime(1000);
    expect(clock.now).toBe(T0 + 2010);
    stop();
    vi.advanceTimersByTime(5000);
    expect(clock.now).toBe(T0 + 2010);
  });

  it('steps with each sync and not on its own while syncs come every second', () => {
    const clock = new WallClock();
    const stop = clock.start();
    vi.advanceTimersByTime(300);
    clock.sync();
    expect(clock.now).toBe(T0 + 700);
    for (let i = 1; i <= 4; i++) {
      // The whole second between two syncs passes without a step of the clock's own.
      vi.advanceTimersByTime(999);
      expect(clock.now).toBe(T0 + 700 + (i - 1) * 1000);
      vi.advanceTimersByTime(1);
      clock.sync();
      expect(clock.now).toBe(T0 + 700 + i * 1000);
    }
    stop();
  });

  it(`goes on by itself ${SYNC_FALLBACK_MS} ms after the last sync, then every whole second`, () => {
    const clock = new WallClock();
    const stop = clock.start();
    vi.advanceTimersByTime(300);
    clock.sync();
    expect(clock.now).toBe(T0 + 700);
    vi.advanceTimersByTime(SYNC_FALLBACK_MS - 1);
    expect(clock.now).toBe(T0 + 700);
    vi.advanceTimersByTime(1);
    expect(clock.now).toBe(T0 + 700 + SYNC_FALLBACK_MS);
    // Back on whole seconds: 1950 → 2010.
    vi.advanceTimersByTime(60);
    expect(clock.now).toBe(T0 + 2010);
    stop();
  });

  it('ignores a sync when stopped', () => {
    const clock = new WallClock();
    const stop = clock.start();
    stop();
    vi.advanceTimersByTime(2000);
    clock.sync();
    expect(clock.now).toBe(T0 + 400);
  });
});
