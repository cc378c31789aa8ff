import type { AnyListener, HoldableSocket } from '../../src/lib/realtime/held-events';

/** The socket's own events, which Socket.IO's `onAny` does not report. */
const LIFECYCLE = new Set(['connect', 'connect_error', 'disconnect']);

/** A client socket that receives what a test delivers, the way Socket.IO's client does. */
export class FakeSocket implements HoldableSocket {
  disconnected = false;
  private readonly byEvent = new Map<string, AnyListener[]>();
  private any: ((event: string, ...args: unknown[]) => void)[] = [];

  on(event: string, listener: AnyListener): this {
    this.byEvent.set(event, [...(this.byEvent.get(event) ?? []), listener]);
    return this;
  }
  off(event: string, listener: AnyListener): this {
    this.byEvent.set(
      event,
      (this.byEvent.get(event) ?? []).filter((l) => l !== listener)
    );
    return this;
  }
  onAny(listener: (event: string, ...args: unknown[]) => void): this {
    this.any.push(listener);
    return this;
  }
  offAny(listener: (event: string, ...args: unknown[]) => void): this {
    this.any = this.any.filter((l) => l !== listener);
    return this;
  }
  listeners(event: string): AnyListener[] {
    return [...(this.byEvent.get(event) ?? [])];
  }
  disconnect(): this {
    this.disconnected = true;
    return this;
  }
  /** An event from the server (`onAny` sees it) or the socket's own (it does not). */
  deliver(event: string, ...args: unknown[]): void {
    if (!LIFECYCLE.has(event)) for (const l of this.any) l(event, ...args);
    for (const l of this.listeners(event)) l(...args);
  }
  /** How many catch-all listeners are attached. */
  get anyCount(): number {
    return this.any.length;
  }
}
