import { io } from 'socket.io-client';
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
