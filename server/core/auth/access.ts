/**
 * Who may do what: roles, principals, permissions, and the access table of every HTTP route and
 * Socket.IO event. Pure: the HTTP gate (server/http/gate.ts) and the socket transport consult it;
 * a route or event missing from it cannot be reached (the gate answers 404 for an unlisted API
 * path, and the event map below is typed as a complete Record).
 */
import { ROLES, type AuthVia, type Role, type TokenScope } from '../../../src/lib/shared/types';
import type { ClientToServerEvents } from '../../../src/lib/shared/protocol';

/**
 * What a route or event needs:
 * - `public`: anyone (login, health);
 * - `read`: the wall's data (viewer and up, displays, `read` tokens, anonymous viewers);
 * - `explore`: stored mentions and drill-downs (manager and up, `read` tokens);
 * - `act`: working alerts (agent and up);
 * - `manage`: rules, silences, drills (manager and up);
 * - `admin`: users, tokens, displays, settings, the audit log (admin, `admin` tokens);
 * - `ingest`: POST /api/v1/mentions, authenticated by the ingest handler itself (an `ingest` or
 *   `admin` API token, INGEST_TOKEN, or an HMAC-signed body).
 */
export const PERMISSIONS = [
  'public',
  'read',
  'explore',
  'act',
  'manage',
  'admin',
  'ingest'
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The least role a user needs for each permission (`public` and `ingest` are not role-based). */
export const ROLE_FOR: Record<Exclude<Permission, 'public' | 'ingest'>, Role> = {
  read: 'viewer',
  explore: 'manager',
  act: 'agent',
  manage: 'manager',
  admin: 'admin'
};

/** Who is asking. */
export type Principal =
  | {
      kind: 'anonymous';
      /** True when anonymous viewers are allowed for this request (ANONYMOUS_ACCESS). */
      viewer: boolean;
    }
  | { kind: 'user'; username: string; role: Role; sessionId: string; csrf: string }
  | { kind: 'display'; id: string; name: string; scene: string | null; privacy: boolean }
  | { kind: 'token'; id: string; name: string; scopes: readonly TokenScope[] };

export const ANONYMOUS: Principal = { kind: 'anonymous', viewer: false };

/** Rank of a role: viewer 0 … admin 3. */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** True when `role` includes `least`. */
export function roleAtLeast(role: Role, least: Role): boolean {
  return roleRank(role) >= roleRank(least);
}

/** Whether the principal holds the permission. */
export function allows(p: Principal, permission: Permission): boolean {
  if (permission === 'public') return true;
  switch (p.kind) {
    case 'anonymous':
      return permission === 'read' && p.viewer;
    case 'display':
      return permission === 'read';
    case 'token':
      if (p.scopes.includes('admin')) return true;
      if (permission === 'ingest') return p.scopes.includes('ingest');
      return (permission === 'read' || permission === 'explore') && p.scopes.includes('read');
    case 'user':
      if (permission === 'ingest') return false;
      return roleAtLeast(p.role, ROLE_FOR[permission]);
  }
}

/**
 * The status a refusal carries: 401 when the principal is not authenticated (signing in may
 * help), 403 when it is and its role or scope is not enough.
 */
export function refusalStatus(p: Principal): 401 | 403 {
  return p.kind === 'anonymous' ? 401 : 403;
}

/** The effective role of a principal (what the UI may offer), or null when it may not read. */
export function effectiveRole(p: Principal): Role | null {
  switch (p.kind) {
    case 'user':
      return p.role;
    case 'display':
      return 'viewer';
    case 'anonymous':
      return p.viewer ? 'viewer' : null;
    case 'token':
      return p.scopes.includes('admin') ? 'admin' : p.scopes.includes('read') ? 'viewer' : null;
  }
}

/** How the principal was authenticated. */
export function viaOf(p: Principal): AuthVia {
  return p.kind === 'user' ? 'session' : p.kind;
}

/** The name the audit log and alert timelines record for a principal. */
export function actorName(p: Principal): string {
  switch (p.kind) {
    case 'user':
      return p.username;
    case 'display':
      return `display:${p.name}`;
    case 'token':
      return `token:${p.name}`;
    case 'anonymous':
      return 'anonymous';
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One door: a method, a path pattern (`:name` matches one segment), and what it needs. */
export interface RouteAccess {
  method: HttpMethod;
  path: string;
  permission: Permission;
}

const r = (method: HttpMethod, path: string, permission: Permission): RouteAccess => ({
  method,
  path,
  permission
});

/**
 * Every HTTP route the server answers outside the UI. The gate refuses an API path that is not
 * here (404) and a method a path does not list (405) before any handler runs.
 */
export const HTTP_ACCESS: readonly RouteAccess[] = [
  r('GET', '/healthz', 'public'),
  r('GET', '/metrics', 'read'),
  // Authentication
  r('GET', '/api/v1/auth/me', 'public'),
  r('POST', '/api/v1/auth/login', 'public'),
  r('POST', '/api/v1/auth/logout', 'public'),
  r('POST', '/api/v1/auth/setup', 'public'),
  // The wall's data
  r('GET', '/api/v1/summary', 'read'),
  r('GET', '/api/v1/sources', 'read'),
  r('GET', '/api/v1/tracking', 'read'),
  r('GET', '/api/v1/triage', 'read'),
  r('GET', '/api/v1/detections', 'read'),
  // Exploration of stored mentions
  r('GET', '/api/v1/explore/mentions', 'explore'),
  r('GET', '/api/v1/mentions/explain', 'explore'),
  r('GET', '/api/v1/influencers/hidden', 'explore'),
  r('GET', '/api/v1/detections/backtest', 'explore'),
  r('GET', '/api/v1/mentions', 'explore'),
  r('GET', '/api/v1/mentions/export.csv', 'explore'),
  r('GET', '/api/v1/mentions/:source/:id', 'explore'),
  r('GET', '/api/v1/explore/volume', 'explore'),
  r('GET', '/api/v1/explore/top', 'explore'),
  r('GET', '/api/v1/explore/geo', 'explore'),
  r('GET', '/api/v1/explore/compare', 'explore'),
  // Customer care: the queue and claims for agents, reports for managers
  r('GET', '/api/v1/care/queue', 'act'),
  r('POST', '/api/v1/care/claims', 'act'),
  r('DELETE', '/api/v1/care/claims', 'act'),
  r('GET', '/api/v1/care/agents', 'explore'),
  r('GET', '/api/v1/care/value', 'explore'),
  // Ingest (authenticated by its handler: tokens or an HMAC signature)
  r('POST', '/api/v1/mentions', 'ingest'),
  // Alerts
  r('GET', '/api/v1/alerts', 'read'),
  r('GET', '/api/v1/alerts/:id', 'read'),
  r('GET', '/api/v1/alerts/:id/postmortem', 'explore'),
  r('POST', '/api/v1/alerts/:id/ack', 'act'),
  r('POST', '/api/v1/alerts/:id/resolve', 'act'),
  r('POST', '/api/v1/alerts/:id/snooze', 'act'),
  r('POST', '/api/v1/alerts/:id/assign', 'act'),
  r('POST', '/api/v1/alerts/:id/note', 'act'),
  // Rules, silences, drills
  r('GET', '/api/v1/rules', 'read'),
  r('POST', '/api/v1/rules', 'manage'),
  r('POST', '/api/v1/rules/backtest', 'manage'),
  r('GET', '/api/v1/rules/:id', 'read'),
  r('PUT', '/api/v1/rules/:id', 'manage'),
  r('DELETE', '/api/v1/rules/:id', 'manage'),
  r('GET', '/api/v1/silences', 'read'),
  r('POST', '/api/v1/silences', 'manage'),
  r('DELETE', '/api/v1/silences/:id', 'manage'),
  r('GET', '/api/v1/drills', 'read'),
  r('POST', '/api/v1/drills', 'manage'),
  r('GET', '/api/v1/drills/:id', 'read'),
  r('POST', '/api/v1/drills/:id/stop', 'manage'),
  // Administration
  r('GET', '/api/v1/users', 'admin'),
  r('POST', '/api/v1/users', 'admin'),
  r('PATCH', '/api/v1/users/:username', 'admin'),
  r('DELETE', '/api/v1/users/:username', 'admin'),
  r('GET', '/api/v1/tokens', 'admin'),
  r('POST', '/api/v1/tokens', 'admin'),
  r('DELETE', '/api/v1/tokens/:id', 'admin'),
  r('GET', '/api/v1/displays', 'admin'),
  r('POST', '/api/v1/displays', 'admin'),
  r('PATCH', '/api/v1/displays/:id', 'admin'),
  r('DELETE', '/api/v1/displays/:id', 'admin'),
  r('GET', '/api/v1/settings', 'admin'),
  r('PUT', '/api/v1/settings/tracking', 'admin'),
  r('PUT', '/api/v1/settings/sources', 'admin'),
  r('PUT', '/api/v1/settings/notifications', 'admin'),
  r('PUT', '/api/v1/settings/retention', 'admin'),
  r('GET', '/api/v1/settings/care', 'admin'),
  r('PUT', '/api/v1/settings/care', 'admin'),
  r('GET', '/api/v1/settings/wall', 'admin'),
  r('PUT', '/api/v1/settings/wall', 'admin'),
  r('GET', '/api/v1/audit', 'admin')
];

/** True for the paths the gate owns: everything else is the UI (page shells and static files). */
export function isGatedPath(path: string): boolean {
  return path === '/healthz' || path === '/metrics' || path === '/api' || path.startsWith('/api/');
}

function segmentsMatch(pattern: readonly string[], path: readonly string[]): number {
  if (pattern.length !== path.length) return -1;
  let literal = 0;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) {
      if (path[i] === '') return -1;
    } else if (p === path[i]) literal++;
    else return -1;
  }
  return literal;
}

const compiled = HTTP_ACCESS.map((e) => ({ e, parts: e.path.split('/') }));

/** What the table says about a request. */
export type AccessMatch =
  | { kind: 'route'; route: RouteAccess }
  | { kind: 'method'; allow: HttpMethod[] }
  | { kind: 'none' };

/**
 * Finds the table's entry for a method and path (HEAD as GET). The most literal pattern wins
 * (`/api/v1/rules/backtest` over `/api/v1/rules/:id`).
 */
export function matchAccess(method: string, path: string): AccessMatch {
  const m = method === 'HEAD' ? 'GET' : method;
  const parts = path.split('/');
  let best: RouteAccess | null = null;
  let bestScore = -1;
  const allow = new Set<HttpMethod>();
  for (const { e, parts: pattern } of compiled) {
    const score = segmentsMatch(pattern, parts);
    if (score < 0) continue;
    allow.add(e.method);
    if (e.method === m && score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  if (best) return { kind: 'route', route: best };
  if (allow.size > 0) return { kind: 'method', allow: [...allow] };
  return { kind: 'none' };
}

/** True for methods that change state (CSRF-checked with a session, audited when they succeed). */
export function isMutation(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/**
 * What every client→server Socket.IO event needs. A `Record` over the event map: adding an event
 * to the contract without an entry here does not compile.
 */
export const SOCKET_ACCESS: Record<keyof ClientToServerEvents, Permission> = {
  'wall:resync': 'read',
  'alert:ack': 'act',
  'alert:resolve': 'act',
  'alert:snooze': 'act',
  'alert:assign': 'act',
  'alert:note': 'act'
};

/**
 * The `:name` segments of a path matched by `pattern`, decoded; null when a segment is not valid
 * percent-encoding.
 */
export function routeParams(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (!seg.startsWith(':')) continue;
    try {
      out[seg.slice(1)] = decodeURIComponent(s[i] ?? '');
    } catch {
      return null;
    }
  }
  return out;
}
