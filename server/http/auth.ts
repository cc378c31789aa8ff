import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { SCENES, TOKEN_SCOPES, type AuthMe } from '../../src/lib/shared/types';
import { actorName, effectiveRole, viaOf } from '../core/auth/access';
import type { AuthService } from '../adapters/auth/service';
import { passwordSchema, roleSchema, usernameSchema } from '../adapters/auth/service';
import { clearedCookies, contextOf, sessionCookies } from './gate';
import { readJson, sendIssues } from './json-body';
import { sendError, sendJson } from './respond';

/** A handler behind the gate, keyed by `METHOD /pattern` of the access table. */
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  params: Record<string, string>
) => Promise<void> | void;

const login = z.strictObject({
  username: z.string({ error: 'username is required' }).max(100, 'username is too long'),
  password: z.string({ error: 'password is required' }).max(200, 'password is too long')
});

const setup = z.strictObject({
  token: z.string({ error: 'token is required' }).max(200),
  username: usernameSchema,
  password: passwordSchema
});

const newUser = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema
});

const userChange = z
  .strictObject({
    role: roleSchema.optional(),
    password: passwordSchema.optional(),
    disabled: z.boolean({ error: 'disabled must be true or false' }).optional()
  })
  .refine((c) => Object.keys(c).length > 0, {
    message: 'nothing to change: send role, password or disabled'
  });

const name = z
  .string({ error: 'name is required' })
  .trim()
  .min(1, 'name must not be empty')
  .max(80, 'name must be at most 80 characters');

const newToken = z.strictObject({
  name,
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { error: `scopes must be among ${TOKEN_SCOPES.join(', ')}` }), {
      error: 'scopes must be a list'
    })
    .min(1, 'give at least one scope')
});

const scene = z
  .enum(SCENES, { error: `scene must be one of ${SCENES.join(', ')}, or null for any` })
  .nullable();

const newDisplay = z.strictObject({
  name,
  scene: scene.default(null),
  privacy: z.boolean({ error: 'privacy must be true or false' }).default(false)
});

const displayChange = z.strictObject({
  name: name.optional(),
  scene: scene.optional(),
  privacy: z.boolean({ error: 'privacy must be true or false' }).optional()
});

const auditQuery = z.strictObject({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(500, 'limit must be at most 500')
    .default(100),
  before: z.coerce.number({ error: 'before must be a number' }).int().min(1).optional()
});

/** Settings of the auth routes. */
export interface AuthRoutesDeps {
  auth: () => AuthService | null;
  secureCookies: boolean;
}

/**
 * `/api/v1/auth/*` (sign-in, sign-out, setup, who am I), `/api/v1/users*`, `/api/v1/tokens*`,
 * `/api/v1/displays*` and `/api/v1/audit`. The gate has already checked the permission.
 */
export function authRoutes(deps: AuthRoutesDeps): Record<string, RouteHandler> {
  const service = (): AuthService => {
    const a = deps.auth();
    if (!a) throw new Error('access control is not running yet');
    return a;
  };
  return {
    'GET /api/v1/auth/me': (req, res) => {
      const { principal } = contextOf(req);
      const me: AuthMe = {
        user:
          principal.kind === 'user' ? { username: principal.username, role: principal.role } : null,
        role: effectiveRole(principal),
        via: effectiveRole(principal) === null ? null : viaOf(principal),
        display:
          principal.kind === 'display'
            ? {
                id: principal.id,
                name: principal.name,
                scene: principal.scene,
                privacy: principal.privacy
              }
            : null,
        csrf: principal.kind === 'user' ? principal.csrf : null,
        setupRequired: deps.auth()?.setupRequired ?? false
      };
      sendJson(res, 200, me);
    },
    'POST /api/v1/auth/login': async (req, res) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const q = login.safeParse(body);
      if (!q.success) return sendIssues(res, q.error.issues);
      const ctx = contextOf(req);
      const r = await service().login(q.data.username, q.data.password, ctx.ip);
      if (!r.ok) {
        if (r.status === 429)
          res.setHeader('retry-after', String(Math.ceil(r.retryAfterMs / 1000)));
        await service().audit(
          { actor: q.data.username.slice(0, 80), via: 'anonymous', ip: ctx.ip },
          'auth.login.failed',
          q.data.username.slice(0, 80),
          { detail: r.status === 429 ? 'rate limited' : 'wrong username or password' }
        );
        return sendError(res, r.status, r.error, r.status === 401 ? 'password' : undefined);
      }
      await service().audit(
        { actor: r.user.username, via: 'session', ip: ctx.ip },
        'auth.login',
        r.user.username
      );
      res.setHeader(
        'set-cookie',
        sessionCookies(r.cookie, r.csrf, r.expiresAt, deps.secureCookies)
      );
      sendJson(res, 200, { user: r.user, csrf: r.csrf });
    },
    'POST /api/v1/auth/logout': async (req, res) => {
      const { principal, ip } = contextOf(req);
      if (principal.kind === 'user') {
        await service().logout(principal.sessionId);
        await service().audit(
          { actor: principal.username, via: 'session', ip },
          'auth.logout',
          principal.username
        );
      }
      res.setHeader('set-cookie', clearedCookies(deps.secureCookies));
      res.writeHead(204);
      res.end();
    },
    'POST /api/v1/auth/setup': async (req, res) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const q = setup.safeParse(body);
      if (!q.success) return sendIssues(res, q.error.issues);
      const r = await service().setup(q.data.token, q.data.username, q.data.password);
      if (!r.ok) return sendError(res, r.status, r.error, r.field);
      await service().audit(
        { actor: r.user.username, via: 'session', ip: contextOf(req).ip },
        'user.create',
        r.user.username,
        { detail: 'first administrator from the setup link' }
      );
      res.setHeader(
        'set-cookie',
        sessionCookies(r.cookie, r.csrf, r.expiresAt, deps.secureCookies)
      );
      sendJson(res, 201, { user: r.user, csrf: r.csrf });
    },

    'GET /api/v1/users': (_req, res) => sendJson(res, 200, { users: service().listUsers() }),
    'POST /api/v1/users': async (req, res) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const q = newUser.safeParse(body);
      if (!q.success) return sendIssues(res, q.error.issues);
      const r = await service().createUser(q.data);
      if (!r.ok) return sendError(res, r.status, r.error, r.field);
      contextOf(req).auditDetail = `${r.user.username} (role ${r.user.role})`;
      sendJson(res, 201, r.user);
    },
    'PATCH /api/v1/users/:username': async (req, res, _url, params) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const q = userChange.safeParse(body);
      if (!q.success) return sendIssues(res, q.error.issues);
      const r = await service().updateUser(params.username!, q.data);
      if (!r.ok) return sendError(res, r.status, r.error, r.field);
      contextOf(req).auditDetail = `${r.user.username}: ${r.detail}`;
      sendJson(res, 200, r.user);
    },
    'DELETE /api/v1/users/:username': async (req, res, _url, params) => {
      const ctx = contextOf(req);
      if (ctx.principal.kind === 'user' && ctx.principal.username === params.username) {
        return sendError(res, 409, 'you cannot delete yourself', 'username');
      }
      const r = await service().deleteUser(params.username!);
      if (!r.ok) return sendError(res, r.status, r.error, r.field);
      res.writeHead(204);
      res.end();
    },

    'GET /api/v1/tokens': (_req, res) => sendJson(res, 200, { tokens: service().listTokens() }),
    'POST /api/v1/tokens': async (req, res) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const q = newToken.safeParse(body);
      if (!q.success) return sendIssues(res, q.error.issues);
      const ctx = contextOf(req);
      const r = await service().createToken(q.data.name, q.data.scopes, actorName(ctx.principal));
      ctx.auditDetail = `${r.view.name} (${r.view.scopes.join(', ')})`;
      sendJson(res, 201, { token: r.token, ...r.view });
    },
    'DELETE /api/v1/tokens/:id': async (req, res, _url, params) => {
      if (!(await service().revoke('api', params.id!))) {
        return sendError(res, 404, `no active API token ${params.id}`, 'id');
      }
      res.writeHead(204);
      res.end();
    },

    'GET /api/v1/displays': (_req, res) =>
      sendJson(res, 200, { displays: service().listDisplays() }),
    'POST /api/v1/displays': async (req, res) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const q = newDisplay.safeParse(body);
      if (!q.success) return sendIssues(res, q.error.issues);
      const ctx = contextOf(req);
      const r = await service().createDisplay(
        q.data.name,
        q.data.scene,
        q.data.privacy,
        actorName(ctx.principal)
      );
      ctx.auditDetail = `${r.view.name}${r.view.privacy ? ' (privacy)' : ''}`;
      sendJson(res, 201, { token: r.token, url: `/?display=${r.token}`, ...r.view });
    },
    'PATCH /api/v1/displays/:id': async (req, res, _url, params) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const q = displayChange.safeParse(body);
      if (!q.success) return sendIssues(res, q.error.issues);
      const view = await service().updateDisplay(params.id!, q.data);
      if (!view) return sendError(res, 404, `no display ${params.id}`, 'id');
      contextOf(req).auditDetail = JSON.stringify(q.data);
      sendJson(res, 200, view);
    },
    'DELETE /api/v1/displays/:id': async (req, res, _url, params) => {
      if (!(await service().revoke('display', params.id!))) {
        return sendError(res, 404, `no active display ${params.id}`, 'id');
      }
      res.writeHead(204);
      res.end();
    },

    'GET /api/v1/audit': (_req, res, url) => {
      const q = auditQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!q.success) return sendIssues(res, q.error.issues);
      sendJson(res, 200, { entries: service().auditLog(q.data.limit, q.data.before) });
    }
  };
}
