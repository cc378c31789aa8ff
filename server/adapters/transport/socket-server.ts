import type { Server as HttpServer, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import type {
  Ack,
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents
} from '../../../src/lib/shared/protocol';
import type {
  AlertView,
  CareSummary,
  MentionBatch,
  SourceHealth,
  WallConfig,
  WallPanels,
  WallSnapshot,
  WallTick
} from '../../../src/lib/shared/types';
import type { ActionResult, AlertAction } from '../../core/alerts/engine';
import {
  SOCKET_ACCESS,
  actorName,
  allows,
  refusalStatus,
  type Principal
} from '../../core/auth/access';
import { TokenBucket } from '../../core/auth/rate-limit';
import type { AuthRevocation } from '../auth/service';

/** The alert side of the transport: the open alerts and the console's actions. */
export interface AlertTransportDeps {
  open(): AlertView[];
  act(id: string, action: AlertAction, by: string): Promise<ActionResult>;
}

/** What a handshake carries to be authenticated by. */
export interface HandshakeCredentials {
  headers: IncomingHttpHeaders;
  address: string;
  auth: { display?: unknown; token?: unknown };
}

/** Masks for privacy displays (server/core/privacy.ts): handles, e-mails, phones, profanity. */
export interface PrivacyMasks {
  snapshot(s: WallSnapshot): WallSnapshot;
  tick(t: WallTick): WallTick;
  batch(b: MentionBatch): MentionBatch;
  alert(a: AlertView): AlertView;
  care(s: CareSummary): CareSummary;
  panels(p: WallPanels): WallPanels;
}

/** What the wall transport needs from the rest of the server. */
export interface WallTransportDeps {
  snapshot(): WallSnapshot;
  onClientCount(count: number): void;
  /** Absent until alerting has started. */
  alerts?: () => AlertTransportDeps | null;
  /** The wall's complete scenes and playlists, sent on connect (absent before start). */
  wallConfig?: () => WallConfig | null;
  /** The wall's slower panels last computed, sent on connect; null before the first. */
  wallPanels?: () => WallPanels | null;
  /** Who a handshake is (session cookie, display token, API token, or anonymous). */
  authenticate(
    c: HandshakeCredentials
  ): { ok: true; principal: Principal } | { ok: false; error: string };
  /** True when a browser's Origin may open a socket. */
  originAllowed(req: IncomingMessage): boolean;
  privacy: PrivacyMasks;
  now(): number;
  /** Records a change made over a socket in the audit log. */
  audit(principal: Principal, address: string, action: string, target: string): Promise<void>;
}

/** What the server keeps per socket. */
interface ServerSocketData {
  principal: Principal;
  bucket: TokenBucket;
  refused: number;
}

/** Client events per second a socket may send (burst EVENT_BURST); far above what the UI needs. */
const EVENTS_PER_SECOND = 10;
const EVENT_BURST = 20;
/** Refused events after which a socket is disconnected. */
const MAX_REFUSED = 200;

const who = z.string().trim().min(1, 'by must not be empty').max(80, 'by is too long').optional();
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

/** Rooms: privacy displays get masked copies of every broadcast. */
const PLAIN = 'plain';
const PRIVATE = 'private';

const isPrivate = (p: Principal): boolean => p.kind === 'display' && p.privacy;

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
  io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, ServerSocketData>;
  broadcastTick(tick: WallTick): void;
  broadcastBatch(batch: MentionBatch): void;
  broadcastSources(sources: SourceHealth[]): void;
  /** An alert event to every client (never volatile). */
  broadcastAlert(event: 'raised' | 'updated' | 'resolved', alert: AlertView): void;
  /** The care queue's summary (volatile: the next one follows within a second). */
  broadcastCare(summary: CareSummary): void;
  /** The wall's scenes and playlists, after a change (never volatile). */
  broadcastWallConfig(config: WallConfig): void;
  /** The wall's slower panels (not volatile: the next ones are a whole period away). */
  broadcastWallPanels(panels: WallPanels): void;
  /** Disconnects the sockets of revoked sessions, displays or tokens. */
  revoke(e: AuthRevocation): void;
  close(): Promise<void>;
}

/** Attaches a typed Socket.IO server to an HTTP server. */
export function createWallTransport(
  httpServer: HttpServer,
  deps: WallTransportDeps
): WallTransport {
  const io = new Server<
    ClientToServerEvents,
    ServerToClientEvents,
    InterServerEvents,
    ServerSocketData
  >(httpServer, {
    // Clients only send tiny requests; anything bigger is refused by the transport.
    maxHttpBufferSize: 16 * 1024,
    serveClient: false,
    // Cross-site WebSocket hijacking: a browser page from another origin cannot open a socket.
    allowRequest: (req, callback) => callback(null, deps.originAllowed(req))
  });
  io.use((socket, next) => {
    const raw: unknown = socket.handshake.auth;
    const auth = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const a = deps.authenticate({
      headers: socket.handshake.headers,
      address: socket.conn.remoteAddress,
      auth: { display: auth.display, token: auth.token }
    });
    if (!a.ok) return next(new Error(`unauthorised: ${a.error}`));
    if (!allows(a.principal, 'read')) {
      return next(new Error('unauthorised: sign in or open a display link'));
    }
    const p = a.principal;
    socket.data = {
      principal: p,
      bucket: new TokenBucket(EVENTS_PER_SECOND, EVENT_BURST, deps.now()),
      refused: 0
    };
    void socket.join(isPrivate(p) ? PRIVATE : PLAIN);
    if (p.kind === 'user') void socket.join(`session:${p.sessionId}`);
    if (p.kind === 'display') void socket.join(`display:${p.id}`);
    if (p.kind === 'token') void socket.join(`token:${p.id}`);
    next();
  });
  io.on('connection', (socket) => {
    deps.onClientCount(io.engine.clientsCount);
    const principal = socket.data.principal;
    const masked = isPrivate(principal);
    const snap = deps.snapshot();
    socket.emit('wall:snapshot', masked ? deps.privacy.snapshot(snap) : snap);
    const config = deps.wallConfig?.() ?? null;
    if (config) socket.emit('wall:config', config);
    const panels = deps.wallPanels?.() ?? null;
    if (panels) socket.emit('wall:panels', masked ? deps.privacy.panels(panels) : panels);
    const alerts = deps.alerts?.() ?? null;
    if (alerts) {
      const open = alerts.open();
      socket.emit('alert:list', masked ? open.map((a) => deps.privacy.alert(a)) : open);
    }
    /** Rate limit and permission of one event; an error for the ack, or null when allowed. */
    const refuse = (event: keyof typeof SOCKET_ACCESS): string | null => {
      if (!socket.data.bucket.take(deps.now())) {
        if (++socket.data.refused > MAX_REFUSED) socket.disconnect(true);
        return 'rate limited: too many requests, slow down';
      }
      if (!allows(principal, SOCKET_ACCESS[event])) {
        socket.data.refused++;
        return refusalStatus(principal) === 401
          ? `unauthorised: sign in to use ${event}`
          : `forbidden: ${event} needs a role that may ${SOCKET_ACCESS[event]}`;
      }
      return null;
    };
    socket.on('wall:resync', (_request, ack) => {
      if (typeof ack !== 'function') return;
      const error = refuse('wall:resync');
      if (error) return ack({ ok: false, error });
      const s = deps.snapshot();
      ack({ ok: true, data: masked ? deps.privacy.snapshot(s) : s });
    });
    for (const event of Object.keys(ACTIONS) as ActionEvent[]) {
      // Payloads come from the network: validated here, whatever the typed contract says.
      socket.on(event, (request: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const reply = ack as (res: Ack<AlertView>) => void;
        const error = refuse(event);
        if (error) return reply({ ok: false, error });
        const service = deps.alerts?.() ?? null;
        if (!service) return reply({ ok: false, error: 'alerting is not running yet' });
        const parsed = ACTIONS[event].safeParse(request);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path.map(String).join('.') || 'request';
          return reply({ ok: false, error: `${field}: ${issue?.message ?? 'invalid request'}` });
        }
        const d = parsed.data as Record<string, unknown> & { id: string; by?: string };
        // Users act as themselves; a script's token may name the person it acts for.
        const by = principal.kind === 'user' ? principal.username : (d.by ?? actorName(principal));
        service
          .act(d.id, toAction(event, d), by)
          .then(async (r) => {
            if (r.ok) {
              await deps
                .audit(principal, socket.conn.remoteAddress, `socket ${event}`, d.id)
                .catch(() => undefined);
            }
            reply(r.ok ? { ok: true, data: r.view } : { ok: false, error: r.error });
          })
          .catch((err: unknown) => reply({ ok: false, error: `internal error: ${String(err)}` }));
      });
    }
    socket.on('disconnect', () => deps.onClientCount(io.engine.clientsCount));
  });
  /** Emits to plain clients, and the masked version (built only if needed) to privacy displays. */
  function emitBoth<
    E extends
      | 'wall:tick'
      | 'mention:batch'
      | 'alert:raised'
      | 'alert:updated'
      | 'alert:resolved'
      | 'care:summary'
      | 'wall:panels'
  >(
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
    mask: (p: Parameters<ServerToClientEvents[E]>[0]) => Parameters<ServerToClientEvents[E]>[0],
    volatile = false
  ): void {
    const target = volatile ? io.volatile : io;
    const emitTo = (room: string, p: Parameters<ServerToClientEvents[E]>[0]): void => {
      (target.to(room).emit as (e: E, p: unknown) => boolean)(event, p);
    };
    emitTo(PLAIN, payload);
    if ((io.sockets.adapter.rooms.get(PRIVATE)?.size ?? 0) > 0) emitTo(PRIVATE, mask(payload));
  }
  return {
    io,
    // Volatile: a dropped tick shows up as a sequence gap and the client resynchronises.
    broadcastTick: (tick) => emitBoth('wall:tick', tick, deps.privacy.tick, true),
    broadcastBatch: (batch) => emitBoth('mention:batch', batch, deps.privacy.batch),
    broadcastSources: (sources) => io.emit('source:status', sources),
    broadcastAlert: (event, alert) => emitBoth(`alert:${event}`, alert, deps.privacy.alert),
    broadcastCare: (summary) => emitBoth('care:summary', summary, deps.privacy.care, true),
    broadcastWallConfig: (config) => io.emit('wall:config', config),
    broadcastWallPanels: (panels) => emitBoth('wall:panels', panels, deps.privacy.panels),
    revoke: (e) => {
      for (const id of e.ids) io.in(`${e.kind}:${id}`).disconnectSockets(true);
    },
    close: () =>
      new Promise<void>((resolve) => {
        void io.close(() => resolve());
      })
  };
}
