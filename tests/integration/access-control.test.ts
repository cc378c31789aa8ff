import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { ROLES, type Role } from '../../src/lib/shared/types';
import {
  HTTP_ACCESS,
  ROLE_FOR,
  SOCKET_ACCESS,
  isMutation,
  type Permission
} from '../../server/core/auth/access';
import { READ_ROUTE_PATHS } from '../../server/http/routes';
import { makeMention } from '../helpers/fixtures';
import {
  connectClient,
  nextEvent,
  startTestServer,
  tempDataDir,
  waitFor,
  type TestServer,
  type WallClient
} from '../helpers/test-server';

/**
 * Every door that changes something, and the least role it needs. Written out by hand on
 * purpose: a route or socket event added to the server without a line here fails the first two
 * tests, and each line is then checked against real requests for every role below it.
 */
const MUTATING_ROUTES: Record<string, Role | 'public' | 'ingest'> = {
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'public',
  'POST /api/v1/auth/setup': 'public',
  'POST /api/v1/mentions': 'ingest',
  'POST /api/v1/alerts/:id/ack': 'agent',
  'POST /api/v1/alerts/:id/resolve': 'agent',
  'POST /api/v1/alerts/:id/snooze': 'agent',
  'POST /api/v1/alerts/:id/assign': 'agent',
  'POST /api/v1/alerts/:id/note': 'agent',
  'POST /api/v1/rules': 'manager',
  'POST /api/v1/rules/backtest': 'manager',
  'PUT /api/v1/rules/:id': 'manager',
  'DELETE /api/v1/rules/:id': 'manager',
  'POST /api/v1/silences': 'manager',
  'DELETE /api/v1/silences/:id': 'manager',
  'POST /api/v1/drills': 'manager',
  'POST /api/v1/drills/:id/stop': 'manager',
  'POST /api/v1/users': 'admin',
  'PATCH /api/v1/users/:username': 'admin',
  'DELETE /api/v1/users/:username': 'admin',
  'POST /api/v1/tokens': 'admin',
  'DELETE /api/v1/tokens/:id': 'admin',
  'POST /api/v1/displays': 'admin',
  'PATCH /api/v1/displays/:id': 'admin',
  'DELETE /api/v1/displays/:id': 'admin',
  'PUT /api/v1/settings/tracking': 'admin',
  'PUT /api/v1/settings/sources': 'admin',
  'PUT /api/v1/settings/notifications': 'admin',
  'PUT /api/v1/settings/retention': 'admin',
  'PUT /api/v1/settings/care': 'admin',
  'PUT /api/v1/settings/wall': 'admin',
  'POST /api/v1/care/claims': 'agent',
  'DELETE /api/v1/care/claims': 'agent'
};

/** Every client→server socket event and the least role it needs. */
const SOCKET_EVENTS: Record<string, Role> = {
  'wall:resync': 'viewer',
  'alert:ack': 'agent',
  'alert:resolve': 'agent',
  'alert:snooze': 'agent',
  'alert:assign': 'agent',
  'alert:note': 'agent'
};

const PASSWORD = 'correct horse battery';
const key = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;
const leastRole = (p: Permission): Role | 'public' | 'ingest' =>
  p === 'public' || p === 'ingest' ? p : ROLE_FOR[p];
const concrete = (path: string): string => path.replace(/:[a-z]+/g, 'no-such-thing');

interface Session {
  cookie: string;
  csrf: string;
}

let server: TestServer;
let data: { dir: string; cleanup: () => void };
const sessions = {} as Record<Role, Session>;

async function call(
  method: string,
  path: string,
  o: { headers?: Record<string, string>; body?: unknown } = {}
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(o.body !== undefined && { 'content-type': 'application/json' }),
      ...o.headers
    },
    ...(o.body !== undefined && { body: JSON.stringify(o.body) })
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, body, headers: res.headers };
}

const admin = (): Record<string, string> => ({ authorization: `Bearer ${server.adminToken}` });
const as = (s: Session): Record<string, string> => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

async function login(username: string, password = PASSWORD): Promise<Session> {
  const r = await call('POST', '/api/v1/auth/login', { body: { username, password } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const cookies = r.headers.getSetCookie();
  const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: r.body.csrf as string };
}

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir, {
    ADMIN_PASSWORD: PASSWORD,
    INGEST_TOKEN: 'ingest-token-0123456789'
  });
  for (const role of ROLES) {
    if (role !== 'admin') {
      const r = await call('POST', '/api/v1/users', {
        headers: admin(),
        body: { username: `${role}-user`, password: PASSWORD, role }
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    sessions[role] = await login(role === 'admin' ? 'admin' : `${role}-user`);
  }
}, 60_000);

afterAll(async () => {
  await server.close();
  data.cleanup();
});

describe('the access table', () => {
  it('lists exactly the mutating routes this test checks', () => {
    const table = Object.fromEntries(
      HTTP_ACCESS.filter((r) => isMutation(r.method)).map((r) => [key(r), leastRole(r.permission)])
    );
    expect(table).toEqual(MUTATING_ROUTES);
  });

  it('covers exactly the socket events of the contract', () => {
    expect(
      Object.fromEntries(Object.entries(SOCKET_ACCESS).map(([e, p]) => [e, leastRole(p)]))
    ).toEqual(SOCKET_EVENTS);
  });

  it('lists every read route the router has', () => {
    const gets = new Set(HTTP_ACCESS.filter((r) => r.method === 'GET').map((r) => r.path));
    for (const path of READ_ROUTE_PATHS) expect(gets, path).toContain(path);
  });

  it('has a handler behind every entry (no entry answers "no such endpoint" to an admin)', async () => {
    for (const r of HTTP_ACCESS) {
      if (r.path === '/api/v1/auth/logout') continue; // would end nothing worth testing here
      const res = await call(r.method, concrete(r.path), {
        headers: admin(),
        ...(isMutation(r.method) && { body: {} })
      });
      expect(res.status, key(r)).not.toBe(405);
      expect(String(res.body.error ?? ''), key(r)).not.toMatch(/^no such endpoint/);
    }
  });

  it('refuses an API path that is not in the table, whoever asks', async () => {
    for (const headers of [{}, admin(), as(sessions.admin)]) {
      const r = await call('GET', '/api/v1/secret-new-door', { headers });
      expect(r.status).toBe(404);
      const m = await call('PATCH', '/api/v1/summary', { headers, body: {} });
      expect(m.status).toBe(405);
    }
  });
});

describe('every mutating route', () => {
  const entries = Object.entries(MUTATING_ROUTES).filter(
    ([, least]) => least !== 'public' && least !== 'ingest'
  );

  it.each(entries)('%s: 401 for anonymous callers', async (route) => {
    const [method, path] = route.split(' ') as [string, string];
    const r = await call(method, concrete(path), { body: {} });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/sign in/);
  });

  it.each(entries)('%s: 403 for every role below %s', async (route, least) => {
    const [method, path] = route.split(' ') as [string, string];
    for (const role of ROLES) {
      if (ROLES.indexOf(role) >= ROLES.indexOf(least as Role)) continue;
      const r = await call(method, concrete(path), { headers: as(sessions[role]), body: {} });
      expect(r.status, `${role}: ${JSON.stringify(r.body)}`).toBe(403);
      expect(r.body.field).toBe('role');
    }
  });

  it.each(entries)('%s: allowed for %s (the request gets past the gate)', async (route, least) => {
    const [method, path] = route.split(' ') as [string, string];
    const r = await call(method, concrete(path), {
      headers: as(sessions[least as Role]),
      body: {}
    });
    expect([401, 403], `${least}: ${JSON.stringify(r.body)}`).not.toContain(r.status);
  });

  it.each(entries)('%s: 403 for a display token and a read-only API token', async (route) => {
    const [method, path] = route.split(' ') as [string, string];
    const display = await call('POST', '/api/v1/displays', {
      headers: admin(),
      body: { name: 'lobby' }
    });
    const read = await call('POST', '/api/v1/tokens', {
      headers: admin(),
      body: { name: 'reader', scopes: ['read'] }
    });
    const tries: Record<string, string>[] = [
      { 'x-display-token': display.body.token as string },
      { authorization: `Bearer ${read.body.token as string}` },
      { authorization: 'Bearer ingest-token-0123456789' }
    ];
    for (const headers of tries) {
      const r = await call(method, concrete(path), { headers, body: {} });
      expect(r.status, JSON.stringify(headers)).toBe(403);
    }
  });

  it('the ingest route takes ingest and admin tokens only', async () => {
    const mention = makeMention({ id: 'acl-1' });
    expect((await call('POST', '/api/v1/mentions', { body: mention })).status).toBe(401);
    for (const role of ROLES) {
      const r = await call('POST', '/api/v1/mentions', {
        headers: as(sessions[role]),
        body: mention
      });
      expect(r.status, role).toBe(401);
    }
    const ok = await call('POST', '/api/v1/mentions', {
      headers: { authorization: 'Bearer ingest-token-0123456789' },
      body: mention
    });
    expect(ok.status).toBe(202);
  });
});

describe('sessions', () => {
  it('refuses a cookie-authenticated mutation without the CSRF token', async () => {
    const r = await call('POST', '/api/v1/rules/backtest', {
      headers: { cookie: sessions.admin.cookie },
      body: {}
    });
    expect(r.status).toBe(403);
    expect(r.body.field).toBe('x-csrf-token');
    const wrong = await call('POST', '/api/v1/rules/backtest', {
      headers: { cookie: sessions.admin.cookie, 'x-csrf-token': 'guess' },
      body: {}
    });
    expect(wrong.status).toBe(403);
  });

  it('refuses a cross-origin mutation even with valid credentials', async () => {
    const r = await call('POST', '/api/v1/rules/backtest', {
      headers: { ...as(sessions.admin), origin: 'https://evil.example' },
      body: {}
    });
    expect(r.status).toBe(403);
    expect(r.body.field).toBe('origin');
  });

  it('sets httpOnly SameSite cookies and rate-limits failed sign-ins', async () => {
    const ok = await call('POST', '/api/v1/auth/login', {
      body: { username: 'viewer-user', password: PASSWORD }
    });
    const [session, csrf] = ok.headers.getSetCookie();
    expect(session).toMatch(/^mc_session=.+; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/);
    expect(csrf).toMatch(/^mc_csrf=.+; SameSite=Strict/);
    expect(csrf).not.toMatch(/HttpOnly/);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await call('POST', '/api/v1/auth/login', {
        body: { username: 'agent-user', password: `wrong password ${i}` }
      });
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Even the right password waits out the limit.
    const blocked = await call('POST', '/api/v1/auth/login', {
      body: { username: 'agent-user', password: PASSWORD }
    });
    expect(blocked.status).toBe(429);
  });

  it('says who is signed in, and ends the session on logout', async () => {
    const s = await login('manager-user');
    const me = await call('GET', '/api/v1/auth/me', { headers: { cookie: s.cookie } });
    expect(me.body).toMatchObject({
      user: { username: 'manager-user', role: 'manager' },
      via: 'session',
      csrf: s.csrf
    });
    expect((await call('POST', '/api/v1/auth/logout', { headers: as(s) })).status).toBe(204);
    const after = await call('GET', '/api/v1/rules', { headers: { cookie: s.cookie } });
    // The cookie is dead: the request is anonymous (a loopback viewer in tests).
    const me2 = await call('GET', '/api/v1/auth/me', { headers: { cookie: s.cookie } });
    expect(me2.body.user).toBeNull();
    expect(after.status).toBe(200);
  });

  it('refuses an unknown bearer token instead of treating it as anonymous', async () => {
    const r = await call('GET', '/api/v1/summary', { headers: { authorization: 'Bearer nope' } });
    expect(r.status).toBe(401);
    expect(r.body.field).toBe('authorization');
  });

  it('treats proxied loopback requests as remote (no anonymous reading)', async () => {
    const r = await call('GET', '/api/v1/summary', {
      headers: { 'x-forwarded-for': '203.0.113.9' }
    });
    expect(r.status).toBe(401);
  });

  it('keeps the last administrator', async () => {
    const r = await call('PATCH', '/api/v1/users/admin', {
      headers: admin(),
      body: { role: 'viewer' }
    });
    expect(r.status).toBe(409);
    expect(r.body.field).toBe('role');
  });
});

describe('sockets', () => {
  const clients: WallClient[] = [];
  afterAll(() => {
    for (const c of clients) c.close();
  });

  function open(auth: { token?: string; display?: string } = {}, cookie?: string): WallClient {
    const c = cookie
      ? (connect(server.url, {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          extraHeaders: { cookie }
        }) as WallClient)
      : connectClient(server.url, false, auth);
    clients.push(c);
    return c;
  }

  it('authorises every client event by role on the server', async () => {
    const anonymous = open();
    await nextEvent(anonymous, 'wall:snapshot');
    const viewer = open({}, sessions.viewer.cookie);
    await nextEvent(viewer, 'wall:snapshot');
    const agent = open({}, sessions.agent.cookie);
    await nextEvent(agent, 'wall:snapshot');
    for (const [event, least] of Object.entries(SOCKET_EVENTS)) {
      const request =
        event === 'wall:resync'
          ? {}
          : { id: 'no-such-alert', minutes: 5, text: 'x', assignee: null };
      const emit = (c: WallClient) =>
        (c.emitWithAck as (e: string, r: unknown) => Promise<{ ok: boolean; error?: string }>)(
          event,
          request
        );
      if (least === 'viewer') {
        expect((await emit(anonymous)).ok).toBe(true);
        continue;
      }
      const a = await emit(anonymous);
      expect(a.error, event).toMatch(/^unauthorised/);
      const v = await emit(viewer);
      expect(v.error, event).toMatch(/^forbidden/);
      const g = await emit(agent);
      // Past the gate: refused for the alert that does not exist, not for the role.
      expect(g.error ?? '', event).not.toMatch(/^(forbidden|unauthorised)/);
    }
  });

  it('refuses a socket from another origin and, with ANONYMOUS_ACCESS=off, an anonymous one', async () => {
    const foreign = connect(server.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: 'https://evil.example' }
    });
    clients.push(foreign as WallClient);
    await new Promise<void>((resolve) => foreign.once('connect_error', () => resolve()));
    const d = tempDataDir();
    const closed = await startTestServer(d.dir, { ANONYMOUS_ACCESS: 'off' });
    try {
      const c = connectClient(closed.url);
      const err = await new Promise<Error>((resolve) => c.once('connect_error', resolve));
      expect(err.message).toMatch(/^unauthorised/);
      c.close();
      expect((await fetch(`${closed.url}/api/v1/summary`)).status).toBe(401);
      const withToken = connectClient(closed.url, false, { token: closed.adminToken });
      await nextEvent(withToken, 'wall:snapshot');
      withToken.close();
    } finally {
      await closed.close();
      d.cleanup();
    }
  });

  it('a display token reads the wall, cannot act, and is cut off when revoked', async () => {
    const unknownScene = await call('POST', '/api/v1/displays', {
      headers: admin(),
      body: { name: 'Lobby', scene: 'no-such-scene' }
    });
    expect(unknownScene.status).toBe(400);
    expect(unknownScene.body.field).toBe('scene');
    const made = await call('POST', '/api/v1/displays', {
      headers: admin(),
      body: { name: 'Lobby', scene: 'overview', privacy: false }
    });
    expect(made.status).toBe(201);
    expect(made.body.url).toBe(`/?display=${made.body.token as string}`);
    const wall = open({ display: made.body.token as string });
    await nextEvent(wall, 'wall:snapshot');
    const me = await call('GET', '/api/v1/auth/me', {
      headers: { 'x-display-token': made.body.token as string }
    });
    expect(me.body).toMatchObject({
      role: 'viewer',
      via: 'display',
      display: { name: 'Lobby', scene: 'overview', privacy: false }
    });
    const ack = await wall.emitWithAck('alert:ack', { id: 'x' } as never);
    expect(ack.ok).toBe(false);
    const gone = new Promise<void>((resolve) => wall.once('disconnect', () => resolve()));
    expect(
      (await call('DELETE', `/api/v1/displays/${made.body.id as string}`, { headers: admin() }))
        .status
    ).toBe(204);
    await gone;
    const again = connectClient(server.url, false, { display: made.body.token as string });
    clients.push(again);
    const err = await new Promise<Error>((resolve) => again.once('connect_error', resolve));
    expect(err.message).toMatch(/revoked/);
  });

  it('a privacy display gets masked handles, e-mails and phone numbers; others the text', async () => {
    const made = await call('POST', '/api/v1/displays', {
      headers: admin(),
      body: { name: 'Atrium', privacy: true }
    });
    const masked = open({ display: made.body.token as string });
    const plain = open({ token: server.adminToken });
    await Promise.all([nextEvent(masked, 'wall:snapshot'), nextEvent(plain, 'wall:snapshot')]);
    const batches = [nextEvent(masked, 'mention:batch'), nextEvent(plain, 'mention:batch')];
    await server.source.push([
      makeMention({
        id: 'privacy-1',
        text: 'Mail me at jo.doe@example.com or call +1 415 555 0199, @alexj knows',
        author: { handle: '@jodoe', name: 'Jo Doe', followers: 10, verified: false }
      })
    ]);
    const [m, p] = await Promise.all(batches);
    const mi = m!.items.find((i) => i.id === 'privacy-1')!;
    const pi = p!.items.find((i) => i.id === 'privacy-1')!;
    expect(pi.text).toContain('jo.doe@example.com');
    expect(mi.text).not.toContain('jo.doe@example.com');
    expect(mi.text).not.toContain('555 0199');
    expect(mi.text).not.toContain('@alexj');
    expect(JSON.stringify(mi)).not.toContain('jodoe');
  });
});

describe('administration', () => {
  it('validates settings with the field named, applies them, and audits who changed what', async () => {
    const bad = await call('PUT', '/api/v1/settings/tracking', {
      headers: as(sessions.admin),
      body: { brand: { name: 'Northwind', handles: ['not a handle!'] } }
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('brand.handles.0');
    const good = await call('PUT', '/api/v1/settings/tracking', {
      headers: as(sessions.admin),
      body: {
        brand: { name: 'Northwind', handles: ['@NorthwindHelp'] },
        keywords: ['northwind'],
        competitors: [{ name: 'Contoso', keywords: ['contoso'] }]
      }
    });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    const tracking = await call('GET', '/api/v1/tracking', { headers: admin() });
    expect(tracking.body).toMatchObject({ competitors: [{ name: 'Contoso' }] });
    const retention = await call('PUT', '/api/v1/settings/retention', {
      headers: as(sessions.admin),
      body: { mentionsDays: 30, rollupsDays: 7 }
    });
    expect(retention.status).toBe(400);
    expect(retention.body.field).toBe('rollupsDays');
    const channels = await call('PUT', '/api/v1/settings/notifications', {
      headers: as(sessions.admin),
      body: {
        channels: [
          {
            id: 'ops',
            kind: 'webhook',
            name: 'Ops',
            url: 'http://127.0.0.1:9/hook',
            secret: 'a-secret-of-16-chars',
            level: 0
          }
        ]
      }
    });
    expect(channels.status, JSON.stringify(channels.body)).toBe(200);
    const read = await call('GET', '/api/v1/settings', { headers: admin() });
    expect(JSON.stringify(read.body)).not.toContain('a-secret-of-16-chars');
    const audit = await call('GET', '/api/v1/audit?limit=500', { headers: as(sessions.admin) });
    const entries = audit.body.entries as { actor: string; action: string; detail: string }[];
    expect(entries).toContainEqual(
      expect.objectContaining({
        actor: 'admin',
        action: 'PUT /api/v1/settings/tracking',
        detail: expect.stringContaining('competitors') as string
      })
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: 'token:tests', action: 'POST /api/v1/users' })
    );
    // Refused changes are not recorded as changes.
    expect(entries.filter((e) => e.action === 'PUT /api/v1/settings/retention')).toEqual([]);
  });

  it('creates API tokens that work at once and stop working when revoked', async () => {
    const made = await call('POST', '/api/v1/tokens', {
      headers: as(sessions.admin),
      body: { name: 'feeder', scopes: ['ingest'] }
    });
    expect(made.status).toBe(201);
    const token = made.body.token as string;
    const post = () =>
      call('POST', '/api/v1/mentions', {
        headers: { authorization: `Bearer ${token}` },
        body: makeMention({ id: `tok-${Math.random()}` })
      });
    expect((await post()).status).toBe(202);
    const list = await call('GET', '/api/v1/tokens', { headers: admin() });
    const listed = (list.body.tokens as { id: string; lastUsedAt: number | null }[]).find(
      (t) => t.id === made.body.id
    );
    expect(listed?.lastUsedAt).toEqual(expect.any(Number));
    expect(JSON.stringify(list.body)).not.toContain(token);
    await call('DELETE', `/api/v1/tokens/${made.body.id as string}`, {
      headers: as(sessions.admin)
    });
    expect((await post()).status).toBe(401);
  });

  it('ends the sessions of a disabled user at once', async () => {
    const s = await login('agent-user').catch(() => null);
    // agent-user may still be rate limited by the sign-in test: use a fresh user.
    void s;
    await call('POST', '/api/v1/users', {
      headers: admin(),
      body: { username: 'temp-user', password: PASSWORD, role: 'agent' }
    });
    const t = await login('temp-user');
    expect(
      (await call('GET', '/api/v1/auth/me', { headers: { cookie: t.cookie } })).body.user
    ).toBeTruthy();
    await call('PATCH', '/api/v1/users/temp-user', { headers: admin(), body: { disabled: true } });
    await waitFor(async () => {
      const me = await call('GET', '/api/v1/auth/me', { headers: { cookie: t.cookie } });
      return me.body.user === null;
    });
    const denied = await call('POST', '/api/v1/auth/login', {
      body: { username: 'temp-user', password: PASSWORD }
    });
    expect(denied.status).toBe(401);
  });

  it('deletes mentions older than the retention', async () => {
    const old = Date.now() - 40 * 86_400_000;
    await server.source.push([
      makeMention({ id: 'ancient', createdAt: old }),
      makeMention({ id: 'recent' })
    ]);
    await call('PUT', '/api/v1/settings/retention', {
      headers: admin(),
      body: { mentionsDays: 30, rollupsDays: 365 }
    });
    expect(server.app.store.getMention('test', 'ancient')).not.toBeNull();
    expect(await server.app.prune()).toBeGreaterThanOrEqual(1);
    expect(server.app.store.getMention('test', 'ancient')).toBeNull();
    expect(server.app.store.getMention('test', 'recent')).not.toBeNull();
  });
});
