import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import type {
  Ack,
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData
} from '../../../src/lib/shared/protocol';
import type {
  AlertView,
  MentionBatch,
  SourceHealth,
  WallSnapshot,
  WallTick
} from '../../../src/lib/shared/types';
import type { ActionResult, AlertAction } from '../../core/alerts/engine';

/** The alert side of the transport: the open alerts and the console's actions. */
export interface AlertTransportDeps {
  open(): AlertView[];
  act(id: string, action: AlertAction, by: string): Promise<ActionResult>;
}

/** What the wall transport needs from the rest of the server. */
export interface WallTransportDeps {
  snapshot(): WallSnapshot;
  onClientCount(count: number): void;
  /** Absent until alerting has started. */
  alerts?: () => AlertTransportDeps | null;
}

const who = z.string().trim().min(1, 'by must not be empty').max(80, 'by is too long');
const alertId = z.string().min(1, 'id is required').max(200, 'id is too long');
const ACTIONS = {
  'alert:ack': z.strictObject({ id: alertId, by: who }),
  'alert:resolve': z.strictObject({ id: alertId, by: who, note: z.string().max(2000).optional() }),
  'alert:snooze': z.strictObject({
    id: alertId,
    by: who,
    minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
  }),
  'alert:assign': z.strictObject({
    id: alertId,
    by: who,
    assignee: z.string().trim().max(80).nullable()
  }),
  'alert:note': z.strictObject({ id: alertId, by: who, text: z.string().min(1).max(2000) })
} as const;

type ActionEvent = keyof typeof ACTIONS;

function toAction(event: ActionEvent, d: Record<string, unknown>): AlertAction {
  switch (event) {
    case 'alert:ack':
      return { kind: 'ack' };
    case 'alert:resolve':
      return { kind: 'resolve', ...(typeof d.note === 'string' && { note: d.note }) };
    case 'alert:snooze':
      return { kind: 'snooze', minutes: d.minutes as number };
    case 'alert:assign':
      return { kind: 'assign', assignee: (d.assignee as string | null) || null };
    case 'alert:note':
      return { kind: 'note', text: d.text as string };
  }
}

/** The Socket.IO side of the wall: snapshot on connect, ticks, river batches, resync. */
export interface WallTransport {
  io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
  broadcastTick(tick: WallTick): void;
  broadcastBatch(batch: MentionBatch): void;
  broadcastSources(sources: SourceHealth[]): void;
  /** An alert event to every client (never volatile). */
  broadcastAlert(event: 'raised' | 'updated' | 'resolved', alert: AlertView): void;
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
    const alerts = deps.alerts?.() ?? null;
    if (alerts) socket.emit('alert:list', alerts.open());
    socket.on('wall:resync', (_request, ack) => {
      if (typeof ack !== 'function') return;
      ack({ ok: true, data: deps.snapshot() });
    });
    for (const event of Object.keys(ACTIONS) as ActionEvent[]) {
      // Payloads come from the network: validated here, whatever the typed contract says.
      socket.on(event, (request: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const reply = ack as (res: Ack<AlertView>) => void;
        const service = deps.alerts?.() ?? null;
        if (!service) return reply({ ok: false, error: 'alerting is not running yet' });
        const parsed = ACTIONS[event].safeParse(request);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path.map(String).join('.') || 'request';
          return reply({ ok: false, error: `${field}: ${issue?.message ?? 'invalid request'}` });
        }
        const d = parsed.data as Record<string, unknown> & { id: string; by: string };
        service
          .act(d.id, toAction(event, d), d.by)
          .then((r) => reply(r.ok ? { ok: true, data: r.view } : { ok: false, error: r.error }))
          .catch((err: unknown) => reply({ ok: false, error: `internal error: ${String(err)}` }));
      });
    }
    socket.on('disconnect', () => deps.onClientCount(io.engine.clientsCount));
  });
  return {
    io,
    // Volatile: a dropped tick shows up as a sequence gap and the client resynchronises.
    broadcastTick: (tick) => io.volatile.emit('wall:tick', tick),
    broadcastBatch: (batch) => io.emit('mention:batch', batch),
    broadcastSources: (sources) => io.emit('source:status', sources),
    broadcastAlert: (event, alert) => io.emit(`alert:${event}`, alert),
    close: () =>
      new Promise<void>((resolve) => {
        void io.close(() => resolve());
      })
  };
}
