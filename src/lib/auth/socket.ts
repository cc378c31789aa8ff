import { io } from 'socket.io-client';
import { holdEvents, type HoldableSocket } from '../realtime/held-events';
import type { WallSocket } from '../realtime/live-state.svelte';
import { displayToken } from './api';

/**
 * The wall's Socket.IO connection (same origin, `/socket.io`): the browser sends the session
 * cookie; a display token goes in the handshake's `auth`.
 */
export function openSocket(): WallSocket {
  const display = displayToken();
  return io({
    auth: display ? { display } : {},
    // WebSocket first: the wall's first numbers arrive one handshake sooner than over HTTP
    // long-polling and an upgrade. Where a proxy blocks WebSocket, polling is tried next.
    transports: ['websocket', 'polling'],
    tryAllTransports: true
  });
}

/** True for a `connect_error` the server raised because the connection is not allowed. */
export function isUnauthorised(err: unknown): boolean {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return message.toLowerCase().startsWith('unauthorised');
}

/** How long a socket opened early waits to be taken by the wall before it is closed. */
const UNTAKEN_CLOSE_MS = 30_000;

/** The wall's socket opened as the app starts, with its events held (`openWallSocketEarly`). */
let early: { socket: WallSocket; release: () => void } | null = null;

/**
 * Opens the wall's socket as the app starts (`src/hooks.client.ts`), while the wall's own code is
 * still loading: the handshake and the snapshot then travel while the page's scripts arrive,
 * instead of after them. Its events are held until the wall takes it (`takeWallSocket`).
 */
export function openWallSocketEarly(): void {
  if (early) return;
  const socket = openSocket();
  const opened = { socket, release: holdEvents(socket as unknown as HoldableSocket) };
  early = opened;
  // Not taken (the wall never mounted): closed rather than holding events for ever; a wall
  // mounting later opens its own.
  setTimeout(() => {
    if (early !== opened) return;
    early = null;
    socket.disconnect();
  }, UNTAKEN_CLOSE_MS);
}

/**
 * The wall's socket: the one opened early, if any, else a new one. Call `release` once every
 * handler is attached: the events held so far are handed to them, in order.
 */
export function takeWallSocket(): { socket: WallSocket; release: () => void } {
  const taken = early ?? { socket: openSocket(), release: () => {} };
  early = null;
  return taken;
}
