import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Sockets `io()` handed out, fakes with what holdEvents and the tests use. */
const opened: FakeIoSocket[] = [];

class FakeIoSocket {
  disconnected = false;
  private readonly byEvent = new Map<string, ((...a: unknown[]) => void)[]>();
  private any: ((event: string, ...a: unknown[]) => void)[] = [];
  on(event: string, l: (...a: unknown[]) => void): this {
    this.byEvent.set(event, [...(this.byEvent.get(event) ?? []), l]);
    return this;
  }
  off(event: string, l: (...a: unknown[]) => void): this {
    this.byEvent.set(
      event,
      (this.byEvent.get(event) ?? []).filter((x) => x !== l)
    );
    return this;
  }
  onAny(l: (event: string, ...a: unknown[]) => void): this {
    this.any.push(l);
    return this;
  }
  offAny(l: (event: string, ...a: unknown[]) => void): this {
    this.any = this.any.filter((x) => x !== l);
    return this;
  }
  listeners(event: string): ((...a: unknown[]) => void)[] {
    return [...(this.byEvent.get(event) ?? [])];
  }
  receive(event: string, ...a: unknown[]): void {
    for (const l of this.any) l(event, ...a);
    for (const l of this.listeners(event)) l(...a);
  }
  disconnect(): this {
    this.disconnected = true;
    return this;
  }
}

vi.mock('socket.io-client', () => ({
  io: () => {
    const s = new FakeIoSocket();
    opened.push(s);
    return s;
  }
}));

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
    opened[0]!.receive('wall:snapshot', { seq: 3 });
    const { socket, release } = takeWallSocket();
    expect(socket).toBe(opened[0]);
    const seen: unknown[] = [];
    (socket as unknown as FakeIoSocket).on('wall:snapshot', (s) => seen.push(s));
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
    expect((taken.socket as unknown as FakeIoSocket).disconnected).toBe(false);
  });
});
