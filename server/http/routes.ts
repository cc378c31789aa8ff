import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  CHANNELS,
  WINDOWS,
  type RiverItem,
  type SourceHealth,
  type WindowKey,
  type WindowSummary
} from '../../src/lib/shared/types';
import type { Metrics } from '../adapters/metrics';
import type { MentionQuery } from '../ports';
import { isGatedPath, routeParams } from '../core/auth/access';
import type { RouteHandler } from './auth';
import { contextOf } from './gate';
import { sendError, sendJson } from './respond';

/** What the HTTP routes need from the server. */
export interface HttpDeps {
  metrics: Metrics;
  /** POST /api/v1/mentions. */
  ingest(req: IncomingMessage, res: ServerResponse): Promise<void>;
  summary(window: WindowKey): WindowSummary;
  /** The same summary computed from stored data for [from, to). */
  rangeSummary(from: number, to: number): Omit<WindowSummary, 'window'> & RangeInfo;
  health(): Record<string, unknown>;
  /** Health of every source. */
  sources(): SourceHealth[];
  /** The tracking configuration in force. */
  tracking(): unknown;
  /** Unanswered customer mentions, highest priority first, with the reasons. */
  triage(limit: number): unknown;
  /** Why a stored mention was enriched as it was; null when there is no such mention. */
  explain(source: string, id: string): unknown;
  /** Authors drawing far more replies than their follower count predicts. */
  hiddenInfluencers(): unknown;
  /** Recent spike and anomaly detections with their explanations, newest first. */
  detections(): unknown;
  /** Alerts a volume detector setting would have raised over the last `days` of stored minutes. */
  backtest(sensitivity: 'low' | 'balanced' | 'high', days: number): unknown;
  /** Stored mentions of a window and scope, newest first (the drill-down). */
  exploreMentions(q: MentionQuery): { total: number; mentions: RiverItem[] };
  /** The alert and rule routes (server/http/alerts.ts); false for a path that is not theirs. */
  alerts?(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /**
   * The access gate (server/http/gate.ts): every request passes it first; only what it lets
   * through reaches a route.
   */
  gate: HttpHandler;
  /** Routes keyed by the access table's `METHOD /pattern` (auth, users, tokens, settings, …). */
  tableRoutes: Record<string, RouteHandler>;
}

/** How a range summary says which range it covers (`window` is null). */
export interface RangeInfo {
  window: null;
  from: string;
  to: string;
}

/** Connect-style handler: answers its own routes and passes everything else to `next`. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const isoTime = (name: string) =>
  z.iso
    .datetime({
      offset: true,
      error: `${name} must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z`
    })
    .transform((s) => Date.parse(s));

const summaryQuery = z
  .strictObject({
    window: z.enum(WINDOWS, { error: `window must be one of ${WINDOWS.join(', ')}` }).optional(),
    from: isoTime('from').optional(),
    to: isoTime('to').optional()
  })
  .superRefine((q, ctx) => {
    const ranged = q.from !== undefined || q.to !== undefined;
    if (ranged && q.window) {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: 'use either window or from/to, not both'
      });
    } else if (ranged && (q.from === undefined || q.to === undefined)) {
      const missing = q.from === undefined ? 'from' : 'to';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'from and to go together' });
    } else if (ranged && q.from! >= q.to!) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be later than from' });
    }
  });

/** A time as epoch milliseconds or ISO 8601. */
const timeParam = (name: string) =>
  z.string({ error: `${name} is required` }).transform((s, ctx) => {
    const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(t)) {
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be epoch milliseconds or an ISO 8601 time`
      });
      return z.NEVER;
    }
    return t;
  });

const exploreQuery = z
  .strictObject({
    from: timeParam('from'),
    to: timeParam('to'),
    channel: z
      .enum(CHANNELS, { error: `channel must be one of ${CHANNELS.join(', ')}` })
      .optional(),
    topic: z.string().min(1).max(100, 'topic is too long').optional(),
    sentiment: z
      .enum(['negative', 'neutral', 'positive'], {
        error: 'sentiment must be negative, neutral or positive'
      })
      .optional(),
    q: z.string().min(1).max(200, 'q is too long').optional(),
    alert: z.string().max(200).optional(),
    limit: z.coerce
      .number({ error: 'limit must be a number' })
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(500, 'limit must be at most 500')
      .default(100)
  })
  .superRefine((q, ctx) => {
    if (q.to <= q.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be later than from' });
    } else if (q.to - q.from > 92 * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'the range is at most 92 days' });
    }
  });

const triageQuery = z.strictObject({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(200, 'limit must be at most 200')
    .default(20)
});

const explainQuery = z.strictObject({
  source: z.string({ error: 'source is required' }).min(1, 'source is required').max(100),
  id: z.string({ error: 'id is required' }).min(1, 'id is required').max(200)
});

const backtestQuery = z.strictObject({
  sensitivity: z
    .enum(['low', 'balanced', 'high'], { error: 'sensitivity must be low, balanced or high' })
    .default('balanced'),
  days: z.coerce
    .number({ error: 'days must be a number' })
    .min(0.01, 'days must be more than 0')
    .max(90, 'days must be at most 90')
    .default(7)
});

/** Sends a 400 naming the first invalid query parameter. */
function badQuery(res: ServerResponse, issues: readonly z.core.$ZodIssue[]): void {
  const first = issues[0];
  const field = first?.path.length ? String(first.path[0]) : 'query';
  const message =
    first?.code === 'unrecognized_keys'
      ? `unknown query parameter(s): ${first.keys.join(', ')}`
      : (first?.message ?? 'invalid query');
  sendError(res, 400, message, field);
}

/** Paths of the read-only routes below (each is in the access table; checked by a test). */
export const READ_ROUTE_PATHS = [
  '/healthz',
  '/api/v1/sources',
  '/api/v1/tracking',
  '/api/v1/triage',
  '/api/v1/mentions/explain',
  '/api/v1/influencers/hidden',
  '/api/v1/detections',
  '/api/v1/explore/mentions',
  '/api/v1/detections/backtest',
  '/metrics',
  '/api/v1/summary'
] as const;

/** Builds the REST routes: /healthz, /metrics and /api/v1/*, behind the access gate. */
export function createHttpHandler(deps: HttpDeps): HttpHandler {
  const routes: Record<
    (typeof READ_ROUTE_PATHS)[number],
    (url: URL, res: ServerResponse) => void | Promise<void>
  > = {
    '/healthz': (_url, res) => sendJson(res, 200, deps.health()),
    '/api/v1/sources': (_url, res) => sendJson(res, 200, { sources: deps.sources() }),
    '/api/v1/tracking': (_url, res) => sendJson(res, 200, deps.tracking()),
    '/api/v1/triage': (url, res) => {
      const q = triageQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!q.success) return badQuery(res, q.error.issues);
      sendJson(res, 200, deps.triage(q.data.limit));
    },
    '/api/v1/mentions/explain': (url, res) => {
      const q = explainQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!q.success) return badQuery(res, q.error.issues);
      const e = deps.explain(q.data.source, q.data.id);
      if (e === null) sendError(res, 404, `no mention ${q.data.id} from ${q.data.source}`, 'id');
      else sendJson(res, 200, e);
    },
    '/api/v1/influencers/hidden': (_url, res) => sendJson(res, 200, deps.hiddenInfluencers()),
    '/api/v1/detections': (_url, res) => sendJson(res, 200, deps.detections()),
    '/api/v1/explore/mentions': (url, res) => {
      const q = exploreQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!q.success) return badQuery(res, q.error.issues);
      const { alert: _alert, q: text, ...rest } = q.data;
      const r = deps.exploreMentions({ ...rest, ...(text !== undefined && { text }) });
      sendJson(res, 200, { from: rest.from, to: rest.to, ...r });
    },
    '/api/v1/detections/backtest': (url, res) => {
      const q = backtestQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!q.success) return badQuery(res, q.error.issues);
      sendJson(res, 200, deps.backtest(q.data.sensitivity, q.data.days));
    },
    '/metrics': async (_url, res) => {
      const body = await deps.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
      res.end(body);
    },
    '/api/v1/summary': (url, res) => {
      const q = summaryQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!q.success) {
        const issue = q.error.issues[0];
        const unknown = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
        const field = unknown ?? (issue?.path.map(String).join('.') || 'query');
        const message = unknown
          ? `unknown query parameter ${unknown}; supported: window, or from and to`
          : (issue?.message ?? 'invalid query');
        sendError(res, 400, message, field);
        return;
      }
      const { window, from, to } = q.data;
      if (from !== undefined && to !== undefined) sendJson(res, 200, deps.rangeSummary(from, to));
      else sendJson(res, 200, deps.summary(window ?? '5m'));
    }
  };

  /** Answers 500 (or ends a started answer) when a handler fails. */
  const settle = (res: ServerResponse, work: void | Promise<unknown>): void => {
    Promise.resolve(work).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `internal error: ${String(err)}`);
      else res.end();
    });
  };

  // Behind the gate: every request here is for a path and method the access table lists (the
  // gate answered 404 and 405 for the rest).
  const dispatch: HttpHandler = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!isGatedPath(url.pathname)) return next();
    const { route } = contextOf(req);
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const handler = deps.tableRoutes[`${method} ${route.path}`];
    if (handler) {
      const params = routeParams(route.path, url.pathname);
      if (!params) return sendError(res, 400, 'the path is not valid percent-encoding', 'path');
      return settle(res, handler(req, res, url, params));
    }
    if (url.pathname === '/api/v1/mentions') return settle(res, deps.ingest(req, res));
    if (
      deps.alerts &&
      (url.pathname.startsWith('/api/v1/alerts') ||
        url.pathname.startsWith('/api/v1/rules') ||
        url.pathname.startsWith('/api/v1/drills') ||
        url.pathname.startsWith('/api/v1/silences'))
    ) {
      return settle(
        res,
        deps.alerts(req, res, url).then((handled) => {
          if (!handled) sendError(res, 404, `no such endpoint: ${url.pathname}`);
        })
      );
    }
    const read = routes[url.pathname as (typeof READ_ROUTE_PATHS)[number]] as
      ((url: URL, res: ServerResponse) => void | Promise<void>) | undefined;
    if (!read) return sendError(res, 404, `no such endpoint: ${url.pathname}`);
    settle(res, read(url, res));
  };

  return (req, res, next) => deps.gate(req, res, () => dispatch(req, res, next));
}
