import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../../helpers/fake-socket';

/** Sockets `io()` handed out, fakes with what holdEvents and the tests use. */
const opened: FakeSocket[] = [];

vi.mock('socket.io-client', () => ({
  io: () => {
    const s = new FakeSocket();
    opened.push(s);
    return s;
  }
}));

// Test files share their worker's modules (isolate: false): load this one afresh, on the mock.
vi.resetModules();
const { openWallSocketEarly, takeWallSocket } = await import('../../../src/lib/auth/socket');

beforeEach(() => {
  vi.useFakeTimers();
  opened.length = 0;
});

afterEach(() => {
  // Whatever a test left open early is taken, so the next starts clean.
  takeWallSocket();
  vi.useRealTimers();
});

describe('the wall socket opened as the app starts', () => {
  it('is the one the wall takes, with what it received before', () => {
    openWallSocketEarly();
    openWallSocketEarly();
    expect(opened).toHaveLength(1);
    opened[0]!.deliver('wall:snapshot', { seq: 3 });
    const { socket, release } = takeWallSocket();
    expect(socket).toBe(opened[0]);
    const seen: unknown[] = [];
    (socket as unknown as FakeSocket).on('wall:snapshot', (s) => seen.push(s));
    release();
    expect(seen).toEqual([{ seq: 3 }]);
  });

  it('is taken once: a wall mounted again opens its own', () => {
    openWallSocketEarly();
    const first = takeWallSocket();
    const second = takeWallSocket();
    expect(second.socket).not.toBe(first.socket);
    expect(opened).toHaveLength(2);
    // Nothing was held for a socket opened on the spot: release does nothing.
    expect(() => second.release()).not.toThrow();
  });

  it('is closed when no wall takes it within 30 s, and not while it is in use', () => {
    openWallSocketEarly();
    vi.advanceTimersByTime(29_000);
    expect(opened[0]!.disconnected).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(opened[0]!.disconnected).toBe(true);
    expect(takeWallSocket().socket).not.toBe(opened[0]);

    openWallSocketEarly();
    const taken = takeWallSocket();
    vi.advanceTimersByTime(60_000);
    expect((taken.socket as unknown as FakeSocket).disconnected).toBe(false);
  });
});
