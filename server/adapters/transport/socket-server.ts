import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData
} from '../../../src/lib/shared/protocol';
import type {
  MentionBatch,
  SourceHealth,
  WallSnapshot,
  WallTick
} from '../../../src/lib/shared/types';

/** What the wall transport needs from the rest of the server. */
export interface WallTransportDeps {
  snapshot(): WallSnapshot;
  onClientCount(count: number): void;
}

/** The Socket.IO side of the wall: snapshot on connect, ticks, river batches, resync. */
export interface WallTransport {
  io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
  broadcastTick(tick: WallTick): void;
  broadcastBatch(batch: MentionBatch): void;
  broadcastSources(sources: SourceHealth[]): void;
  close(): Promise<void>;
}

/** Attaches a typed Socket.IO server to an HTTP server. */
export function createWallTransport(
  httpServer: HttpServer,
  deps: WallTransportDeps
): WallTransport {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(
    httpServer,
    {
      // Clients only send tiny requests; anything bigger is refused by the transport.
      maxHttpBufferSize: 16 * 1024,
      serveClient: false
    }
  );
  io.on('connection', (socket) => {
    deps.onClientCount(io.engine.clientsCount);
    socket.emit('wall:snapshot', deps.snapshot());
    socket.on('wall:resync', (_request, ack) => {
      if (typeof ack !== 'function') return;
      ack({ ok: true, data: deps.snapshot() });
    });
    socket.on('disconnect', () => deps.onClientCount(io.engine.clientsCount));
  });
  return {
    io,
    // Volatile: a dropped tick shows up as a sequence gap and the client resynchronises.
    broadcastTick: (tick) => io.volatile.emit('wall:tick', tick),
    broadcastBatch: (batch) => io.emit('mention:batch', batch),
    broadcastSources: (sources) => io.emit('source:status', sources),
    close: () =>
      new Promise<void>((resolve) => {
        void io.close(() => resolve());
      })
  };
}
