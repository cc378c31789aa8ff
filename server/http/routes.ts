import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { WINDOWS, type WindowKey, type WindowSummary } from '../../src/lib/shared/types';
import type { Metrics } from '../adapters/metrics';
import { sendError, sendJson } from './respond';

/** What the HTTP routes need from the server. */
export interface HttpDeps {
  metrics: Metrics;
  /** POST /api/v1/mentions. */
  ingest(req: IncomingMessage, res: ServerResponse): Promise<void>;
  summary(window: WindowKey): WindowSummary;
  health(): Record<string, unknown>;
}

/** Connect-style handler: answers its own routes and passes everything else to `next`. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const summaryQuery = z.strictObject({
  window: z.enum(WINDOWS, { error: `window must be one of ${WINDOWS.join(', ')}` }).default('5m')
});

/** Builds the REST routes: /healthz, /metrics and /api/v1/*. */
export function createHttpHandler(deps: HttpDeps): HttpHandler {
  const routes: Record<string, (url: URL, res: ServerResponse) => void | Promise<void>> = {
    '/healthz': (_url, res) => sendJson(res, 200, deps.health()),
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
          ? `unknown query parameter ${unknown}; supported: window`
          : (issue?.message ?? 'invalid query');
        sendError(res, 400, message, field);
        return;
      }
      sendJson(res, 200, deps.summary(q.data.window));
    }
  };

  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/v1/mentions') {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        sendError(
          res,
          405,
          `${req.method ?? 'this method'} is not allowed on /api/v1/mentions; use POST`
        );
        return;
      }
      deps.ingest(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, `internal error: ${String(err)}`);
        else res.end();
      });
      return;
    }
    const route = routes[url.pathname];
    if (!route) {
      if (url.pathname.startsWith('/api/'))
        sendError(res, 404, `no such endpoint: ${url.pathname}`);
      else next();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendError(
        res,
        405,
        `${req.method ?? 'this method'} is not allowed on ${url.pathname}; use GET`
      );
      return;
    }
    Promise.resolve(route(url, res)).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `internal error: ${String(err)}`);
      else res.end();
    });
  };
}
