import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies, serialize } from 'cookie';
import {
  ROLE_FOR,
  allows,
  actorName,
  isGatedPath,
  isMutation,
  matchAccess,
  refusalStatus,
  viaOf,
  type Principal,
  type RouteAccess
} from '../core/auth/access';
import type { AuthService } from '../adapters/auth/service';
import { sendError } from './respond';

export const SESSION_COOKIE = 'mc_session';
export const CSRF_COOKIE = 'mc_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const DISPLAY_HEADER = 'x-display-token';

/** Who may read without signing in (ANONYMOUS_ACCESS). */
export type AnonymousAccess = 'loopback' | 'off' | 'all';

/** Settings of the gate. */
export interface GateOptions {
  auth: () => AuthService | null;
  now: () => number;
  anonymous: AnonymousAccess;
  /** Origins besides the server's own that may open sockets and send mutations. */
  allowedOrigins: readonly string[];
  /** The CSP `frame-ancestors` sources for the UI (walls are sometimes embedded). */
  frameAncestors: string;
  /** Set the Secure flag on cookies (behind TLS). */
  secureCookies: boolean;
}

/** What the gate learned about a request, for the handlers behind it. */
export interface RequestContext {
  principal: Principal;
  route: RouteAccess;
  /** Address of the client (the socket's peer). */
  ip: string;
  /** Set by a handler: what the audit log records beside the route (e.g. "role agent → manager"). */
  auditDetail?: string;
  /** Set by a handler that audits the change itself. */
  audited?: boolean;
}

const contexts = new WeakMap<IncomingMessage, RequestContext>();

/** The gate's context of a request that passed it (handlers behind the gate always have one). */
export function contextOf(req: IncomingMessage): RequestContext {
  const c = contexts.get(req);
  if (!c) throw new Error('request did not pass the access gate');
  return c;
}

/** What a request carries to be authenticated by (HTTP request or Socket.IO handshake). */
export interface Credentials {
  headers: IncomingMessage['headers'];
  address: string;
  /** Socket.IO handshake `auth` (display or API token). */
  auth?: { display?: unknown; token?: unknown };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** True when a request came through a proxy (its peer address says nothing about the client). */
function proxied(headers: IncomingMessage['headers']): boolean {
  return (
    headers['forwarded'] !== undefined ||
    headers['x-forwarded-for'] !== undefined ||
    headers['x-real-ip'] !== undefined
  );
}

/** Whether anonymous readers are allowed for these credentials. */
export function anonymousViewer(mode: AnonymousAccess, c: Credentials): boolean {
  if (mode === 'all') return true;
  if (mode === 'off') return false;
  return isLoopback(c.address) && !proxied(c.headers);
}

/**
 * Authenticates: a bearer token, else a display token, else the session cookie, else anonymous.
 * A credential that is given but invalid is an error (401), never a silent fall-back.
 */
export function authenticate(
  auth: AuthService | null,
  mode: AnonymousAccess,
  c: Credentials,
  now: number
): { ok: true; principal: Principal } | { ok: false; error: string; field: string } {
  const header = c.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m)
      return { ok: false, error: 'Authorization must be "Bearer <token>"', field: 'authorization' };
    const p = auth?.bearer(m[1]!, now) ?? null;
    if (!p)
      return {
        ok: false,
        error: 'the bearer token is not valid or was revoked',
        field: 'authorization'
      };
    return { ok: true, principal: p };
  }
  const token = typeof c.auth?.token === 'string' ? c.auth.token : null;
  if (token !== null) {
    const p = auth?.bearer(token, now) ?? null;
    if (!p) return { ok: false, error: 'the token is not valid or was revoked', field: 'token' };
    return { ok: true, principal: p };
  }
  const headerDisplay = c.headers[DISPLAY_HEADER];
  const display =
    typeof c.auth?.display === 'string'
      ? c.auth.display
      : typeof headerDisplay === 'string'
        ? headerDisplay
        : null;
  if (display !== null) {
    const p = auth?.display(display, now) ?? null;
    if (!p) {
      return {
        ok: false,
        error: 'this display link is not valid or was revoked: ask an administrator for a new one',
        field: 'display'
      };
    }
    return { ok: true, principal: p };
  }
  const cookies = parseCookies(c.headers.cookie ?? '');
  const session = cookies[SESSION_COOKIE];
  if (session) {
    const p = auth?.session(session, now) ?? null;
    if (p) return { ok: true, principal: p };
  }
  return { ok: true, principal: { kind: 'anonymous', viewer: anonymousViewer(mode, c) } };
}

/** The origins the request was sent to, as a browser would write them. */
function ownOrigins(req: { headers: IncomingMessage['headers'] }): string[] {
  const host = req.headers.host;
  if (!host) return [];
  return [`http://${host}`, `https://${host}`];
}

/**
 * True when a browser request's `Origin` (absent for non-browser clients and same-origin GETs) is
 * the server's own or an allowed one.
 */
export function originAllowed(
  req: { headers: IncomingMessage['headers'] },
  allowed: readonly string[]
): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  return ownOrigins(req).includes(origin) || allowed.includes(origin);
}

/** Cookies that start a session. */
export function sessionCookies(
  cookie: string,
  csrf: string,
  expiresAt: number,
  secure: boolean
): string[] {
  const expires = new Date(expiresAt);
  return [
    serialize(SESSION_COOKIE, cookie, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure,
      expires
    }),
    serialize(CSRF_COOKIE, csrf, { sameSite: 'strict', path: '/', secure, expires })
  ];
}

/** Cookies that end a session. */
export function clearedCookies(secure: boolean): string[] {
  return [
    serialize(SESSION_COOKIE, '', {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure,
      maxAge: 0
    }),
    serialize(CSRF_COOKIE, '', { sameSite: 'strict', path: '/', secure, maxAge: 0 })
  ];
}

/** Headers every response carries. */
function securityHeaders(res: ServerResponse): void {
  res.setHeader('x-content-type-options', 'nosniff');
  // Display links carry their token in the URL: never send it to the sites mentions link to.
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('x-permitted-cross-domain-policies', 'none');
}

/**
 * Adds a `frame-ancestors` policy to whatever Content-Security-Policy the UI's handler sends (the
 * build-time CSP of svelte.config.js cannot hold a runtime setting). Two policies are both
 * enforced by browsers, so the SvelteKit one is kept whole.
 */
function addFrameAncestors(res: ServerResponse, sources: string): void {
  const extra = `frame-ancestors ${sources}`;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  const patched = (...args: unknown[]): ServerResponse => {
    const headersArg = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null) as
      Record<string, unknown> | unknown[] | undefined;
    let fromArg: unknown;
    if (headersArg && !Array.isArray(headersArg)) {
      for (const k of Object.keys(headersArg)) {
        if (k.toLowerCase() === 'content-security-policy') {
          fromArg = headersArg[k];
          delete headersArg[k];
        }
      }
    }
    const existing = fromArg ?? res.getHeader('content-security-policy');
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    res.setHeader('content-security-policy', [...list.map(String), extra]);
    return writeHead(...args);
  };
  res.writeHead = patched as ServerResponse['writeHead'];
}

/** The client's address (the socket's peer). */
export function peerAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? '';
}

/**
 * The access gate in front of every HTTP route: security headers on every response; for API
 * paths, the access table (404 for a path it does not list, 405 for a method), authentication,
 * the Origin check and CSRF token on mutations, the permission, and an audit entry for every
 * mutation that succeeds. Handlers behind it read the principal with `contextOf(req)`.
 */
export function createGate(o: GateOptions) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (!isGatedPath(path)) {
      addFrameAncestors(res, o.frameAncestors);
      next();
      return;
    }
    res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    const method = req.method ?? 'GET';
    const match = matchAccess(method, path);
    if (match.kind === 'none') return sendError(res, 404, `no such endpoint: ${path}`);
    if (match.kind === 'method') {
      const allow = match.allow.includes('GET') ? [...match.allow, 'HEAD'] : match.allow;
      res.setHeader('allow', allow.join(', '));
      return sendError(res, 405, `${method} is not allowed on ${path}; use ${allow.join(', ')}`);
    }
    const route = match.route;
    const ip = peerAddress(req);
    const mutation = isMutation(method);
    if (mutation && !originAllowed(req, o.allowedOrigins)) {
      return sendError(
        res,
        403,
        `requests from ${String(req.headers.origin)} are not allowed (add it to ALLOWED_ORIGINS)`,
        'origin'
      );
    }
    if (route.permission === 'ingest') {
      // The ingest handler authenticates itself (tokens or an HMAC-signed body).
      contexts.set(req, { principal: { kind: 'anonymous', viewer: false }, route, ip });
      next();
      return;
    }
    const a = authenticate(o.auth(), o.anonymous, { headers: req.headers, address: ip }, o.now());
    if (!a.ok) {
      res.setHeader('www-authenticate', 'Bearer realm="mission-control"');
      return sendError(res, 401, a.error, a.field);
    }
    const principal = a.principal;
    if (mutation && principal.kind === 'user') {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || sent !== principal.csrf) {
        return sendError(
          res,
          403,
          'missing or wrong CSRF token: send the mc_csrf cookie value as X-CSRF-Token',
          CSRF_HEADER
        );
      }
    }
    if (!allows(principal, route.permission)) {
      const status = refusalStatus(principal);
      const need = route.permission === 'public' ? 'public' : ROLE_FOR[route.permission];
      return sendError(
        res,
        status,
        status === 401
          ? `sign in to use ${path} (or send an API token)`
          : `forbidden: ${method} ${route.path} needs the ${need} role`,
        status === 401 ? 'authorization' : 'role'
      );
    }
    const ctx: RequestContext = { principal, route, ip };
    contexts.set(req, ctx);
    if (mutation && route.permission !== 'public') {
      // A change that succeeded is in the audit log before its answer reaches the client.
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        const auth = o.auth();
        if (res.statusCode >= 400 || ctx.audited || !auth) return end(...args);
        auth
          .audit(
            { actor: actorName(principal), via: viaOf(principal), ip },
            `${method} ${route.path}`,
            path,
            { detail: ctx.auditDetail ?? '' }
          )
          .catch(() => undefined)
          .finally(() => end(...args));
        return res;
      }) as ServerResponse['end'];
    }
    next();
  };
}
