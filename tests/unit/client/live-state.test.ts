import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { io } from 'socket.io-client';
import {
  LiveState,
  RIVER_HOLD_MS,
  RIVER_PHASE_MS,
  type WallSocket
} from '../../../src/lib/realtime/live-state.svelte';
import {
  CHANNELS,
  WINDOWS,
  emptySeriesBlock,
  type RiverItem,
  type TopTopics,
  type WallSnapshot,
  type WallTick,
  type WindowKey,
  type WindowSummary
} from '../../../src/lib/shared/types';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

function windows(asOf: number): Record<WindowKey, WindowSummary> {
  const out = {} as Record<WindowKey, WindowSummary>;
  for (const window of WINDOWS) {
    out[window] = {
      window,
      asOf,
      volume: 0,
      perMinute: 0,
      byChannel: Object.fromEntries(CHANNELS.map((c) => [c, 0])) as WindowSummary['byChannel'],
      sentiment: { negative: 0, neutral: 0, positive: 0, net: 0 },
      responseTime: { count: 0, p50Ms: null, p90Ms: null },
      unanswered: 0
    };
  }
  return out;
}

function topics(name: string, count: number): TopTopics {
  return {
    windowMs: 900_000,
    configured: [{ name, count }],
    emerging: [{ term: `${name.toLowerCase()} late`, count: 3, growth: 2, spike: false }]
  };
}

function snapshot(seq: number, top: TopTopics): WallSnapshot {
  return {
    seq,
    serverTime: T0 + seq * 1000,
    brand: { name: 'Northwind', handles: ['@NorthwindHelp'] },
    windows: windows(T0 + seq * 1000),
    seconds: emptySeriesBlock(1000),
    minutes: emptySeriesBlock(60_000),
    detections: [],
    band: [],
    negativeBand: [],
    river: [],
    sources: [],
    topics: top
  };
}

function tick(seq: number, top?: TopTopics): WallTick {
  const t: WallTick = {
    seq,
    serverTime: T0 + seq * 1000,
    windows: windows(T0 + seq * 1000),
    seconds: [],
    minutes: []
  };
  if (top) t.topics = top;
  return t;
}

/**
 * A LiveState on a real, never-connected Socket.IO client: server events are delivered by calling
 * the state's listeners, animation frames run when `frame()` is called.
 */
function harness() {
  const frames: FrameRequestCallback[] = [];
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
  vi.stubGlobal('cancelAnimationFrame', () => {});
  const socket: WallSocket = io('http://127.0.0.1:9', { autoConnect: false });
  const resyncs = vi.spyOn(socket, 'timeout');
  const live = new LiveState();
  const close = live.connect(socket);
  return {
    live,
    close,
    resyncs,
    snapshot(s: WallSnapshot): void {
      for (const l of socket.listeners('wall:snapshot')) l(s);
    },
    tick(t: WallTick): void {
      for (const l of socket.listeners('wall:tick')) l(t);
    },
    river(items: RiverItem[]): void {
      for (const l of socket.listeners('mention:batch')) l({ items });
    },
    pendingFrames(): number {
      return frames.length;
    },
    frame(): void {
      for (const cb of frames.splice(0)) cb(0);
    }
  };
}

describe('LiveState top topics', () => {
  let h: ReturnType<typeof harness>;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => {
    h.close();
    vi.unstubAllGlobals();
  });

  it('is null before the first snapshot, then holds the snapshot topics', () => {
    expect(h.live.topics).toBeNull();
    const top = topics('Delivery & shipping', 12);
    h.snapshot(snapshot(10, top));
    expect(h.live.topics).toBeNull();
    h.frame();
    expect(h.live.topics).toEqual(top);
  });

  it('keeps the last topics through ticks without them and replaces them when a tick has some', () => {
    const first = topics('Delivery & shipping', 12);
    h.snapshot(snapshot(10, first));
    h.frame();
    h.tick(tick(11));
    h.frame();
    expect(h.live.topics).toEqual(first);
    expect(h.live.serverTime).toBe(T0 + 11_000);

    const second = topics('Billing & refunds', 30);
    h.tick(tick(12, second));
    h.tick(tick(13));
    h.frame();
    expect(h.live.topics).toEqual(second);

    h.tick(tick(14));
    h.frame();
    expect(h.live.topics).toEqual(second);
    expect(h.resyncs).not.toHaveBeenCalled();
  });

  it('lets the newest of several ticks in one frame win', () => {
    h.snapshot(snapshot(1, topics('Outage', 1)));
    h.tick(tick(2, topics('Outage', 2)));
    h.tick(tick(3, topics('Outage', 3)));
    h.tick(tick(4));
    h.frame();
    expect(h.live.topics?.configured).toEqual([{ name: 'Outage', count: 3 }]);
  });

  it('applies a tick arriving after a snapshot in the same frame on top of it', () => {
    h.snapshot(snapshot(1, topics('Pricing', 1)));
    h.frame();
    h.snapshot(snapshot(20, topics('Pricing', 20)));
    h.tick(tick(21, topics('Pricing', 21)));
    h.frame();
    expect(h.live.topics?.configured).toEqual([{ name: 'Pricing', count: 21 }]);
  });

  it('replaces topics from ticks with those of a later snapshot (resync)', () => {
    h.snapshot(snapshot(1, topics('Safety', 1)));
    h.tick(tick(2, topics('Safety', 2)));
    h.frame();
    h.snapshot(snapshot(50, topics('Safety', 50)));
    h.frame();
    expect(h.live.topics?.configured).toEqual([{ name: 'Safety', count: 50 }]);
  });

  it('ignores topics on a stale or out-of-order tick', () => {
    const current = topics('Account & login', 5);
    h.snapshot(snapshot(10, current));
    h.frame();
    h.tick(tick(9, topics('Account & login', 99)));
    h.frame();
    expect(h.live.topics).toEqual(current);
    // A gap asks for a resync instead of applying the tick.
    h.tick(tick(12, topics('Account & login', 77)));
    h.frame();
    expect(h.live.topics).toEqual(current);
    expect(h.resyncs).toHaveBeenCalledTimes(1);
  });

  it('keeps empty topics from the snapshot as they are', () => {
    const empty: TopTopics = { windowMs: 900_000, configured: [], emerging: [] };
    h.snapshot(snapshot(1, empty));
    h.frame();
    expect(h.live.topics).toEqual(empty);
  });
});

function item(id: string): RiverItem {
  return {
    id,
    channel: 'twitter',
    createdAt: T0,
    text: `text ${id}`,
    author: { handle: '@someone', name: 'Someone', followers: 10, verified: false },
    sentiment: { score: 0, label: 'neutral' },
    isBrandReply: false,
    url: null,
    source: 'sim',
    intent: 'other',
    topics: [],
    influenceTier: 'everyday',
    priority: 10
  };
}

describe('LiveState river batches', () => {
  let h: ReturnType<typeof harness>;
  beforeEach(() => {
    vi.useFakeTimers();
    h = harness();
    h.snapshot(snapshot(1, topics('Outage', 1)));
    h.frame();
  });
  afterEach(() => {
    h.close();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const ids = (): string[] => h.live.river.map((r) => r.id);

  it(`are drawn ${RIVER_PHASE_MS} ms after the next tick, in a frame of their own`, () => {
    h.river([item('a')]);
    vi.advanceTimersByTime(250);
    h.river([item('b'), item('c')]);
    // No frame is asked for by the river alone while a tick is due.
    expect(h.pendingFrames()).toBe(0);
    h.tick(tick(2));
    h.frame();
    // The tick's frame draws the tick, not the river.
    expect(h.live.serverTime).toBe(T0 + 2000);
    expect(ids()).toEqual([]);
    vi.advanceTimersByTime(RIVER_PHASE_MS - 1);
    expect(h.pendingFrames()).toBe(0);
    h.river([item('d')]);
    vi.advanceTimersByTime(1);
    expect(h.pendingFrames()).toBe(1);
    h.frame();
    expect(ids()).toEqual(['d', 'c', 'b', 'a']);
  });

  it('keep their half-second phase from tick to tick', () => {
    h.river([item('a')]);
    h.tick(tick(2));
    h.frame();
    vi.advanceTimersByTime(RIVER_PHASE_MS);
    h.frame();
    expect(ids()).toEqual(['a']);
    // A batch after the river's turn waits for the next tick's phase, not a second of its own.
    vi.advanceTimersByTime(100);
    h.river([item('b')]);
    vi.advanceTimersByTime(RIVER_PHASE_MS - 100);
    h.tick(tick(3));
    h.frame();
    expect(ids()).toEqual(['a']);
    vi.advanceTimersByTime(RIVER_PHASE_MS);
    h.frame();
    expect(ids()).toEqual(['b', 'a']);
  });

  it(`are drawn alone after ${RIVER_HOLD_MS} ms when no tick comes`, () => {
    h.river([item('a')]);
    vi.advanceTimersByTime(RIVER_HOLD_MS - 1);
    expect(h.pendingFrames()).toBe(0);
    h.river([item('b')]);
    vi.advanceTimersByTime(1);
    expect(h.pendingFrames()).toBe(1);
    h.frame();
    expect(ids()).toEqual(['b', 'a']);
    h.river([item('c')]);
    vi.advanceTimersByTime(RIVER_HOLD_MS - 1);
    expect(h.pendingFrames()).toBe(0);
    vi.advanceTimersByTime(1);
    h.frame();
    expect(ids()).toEqual(['c', 'b', 'a']);
  });

  it('are dropped when a snapshot (which holds them) replaces the river', () => {
    h.river([item('a')]);
    h.snapshot({ ...snapshot(5, topics('Outage', 5)), river: [item('s')] });
    h.frame();
    vi.advanceTimersByTime(RIVER_HOLD_MS);
    h.frame();
    expect(ids()).toEqual(['s']);
  });

  it('stop when the connection is closed', () => {
    h.river([item('a')]);
    h.close();
    vi.advanceTimersByTime(RIVER_HOLD_MS * 2);
    expect(h.pendingFrames()).toBe(0);
  });
});
