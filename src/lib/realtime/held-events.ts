/** A listener of any event. */
export type AnyListener = (...args: unknown[]) => void;

/** What `holdEvents` needs of a Socket.IO client socket (and what tests fake). */
export interface HoldableSocket {
  on(event: string, listener: AnyListener): unknown;
  off(event: string, listener: AnyListener): unknown;
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  offAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  listeners(event: string): AnyListener[];
}

/** The socket's own events that `onAny` does not report. */
const LIFECYCLE = ['connect', 'connect_error', 'disconnect'] as const;

/**
 * Keeps every event a socket receives, its own connect, connect_error and disconnect included,
 * until the returned `release` is called; `release` stops keeping them and hands the kept ones,
 * in the order they came, to the listeners attached by then. So a socket can be opened before
 * the code that handles its events has loaded, and that code sees exactly what it would have
 * seen had it been there from the start. Attach the handlers and release in the same task (events
 * arrive in tasks of their own), or a handler attached earlier sees the held events twice.
 */
export function holdEvents(socket: HoldableSocket): () => void {
  const held: [string, unknown[]][] = [];
  const onAny = (event: string, ...args: unknown[]): void => {
    held.push([event, args]);
  };
  const lifecycle = LIFECYCLE.map((event) => {
    const listener: AnyListener = (...args) => held.push([event, args]);
    socket.on(event, listener);
    return [event, listener] as const;
  });
  socket.onAny(onAny);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    socket.offAny(onAny);
    for (const [event, listener] of lifecycle) socket.off(event, listener);
    for (const [event, args] of held) {
      for (const listener of socket.listeners(event)) listener(...args);
    }
    held.length = 0;
  };
}
