import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  apiFetch,
  displayToken,
  forgetDisplayToken,
  problemFor,
  readCookie,
  readProblem
} from '../../../src/lib/auth/api';
import { Session, roleCan } from '../../../src/lib/auth/session.svelte';
import { isUnauthorised } from '../../../src/lib/auth/socket';

/** A stubbed browser: cookies, the page URL, sessionStorage and fetch. */
function stubBrowser(opts: { cookie?: string; search?: string } = {}) {
  const store = new Map<string, string>();
  vi.stubGlobal('document', { cookie: opts.cookie ?? '' });
  vi.stubGlobal('location', { search: opts.search ?? '', origin: 'http://wall.test' });
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k)
  });
  const calls: { path: string; init: RequestInit; headers: Headers }[] = [];
  const fetch = vi.fn(async (path: string, init: RequestInit = {}) => {
    calls.push({ path, init, headers: new Headers(init.headers) });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return { store, calls, fetch };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    const cookies = 'theme=dark; mc_csrf=abc%3D123;other=1';
    expect(readCookie('mc_csrf', cookies)).toBe('abc=123');
    expect(readCookie('theme', cookies)).toBe('dark');
    expect(readCookie('missing', cookies)).toBeNull();
    // A cookie whose name merely ends with the name is another cookie.
    expect(readCookie('csrf', 'mc_csrf=1')).toBeNull();
    expect(readCookie('bad', 'bad=%E0%A4%A')).toBe('%E0%A4%A');
  });
});

describe('apiFetch', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'post'])(
    'adds X-CSRF-Token from the mc_csrf cookie on %s',
    async (method) => {
      const { calls } = stubBrowser({ cookie: 'a=1; mc_csrf=tok-123; b=2' });
      await apiFetch('/api/v1/users', { method, body: '{}' });
      expect(calls[0]!.path).toBe('/api/v1/users');
      expect(calls[0]!.headers.get('x-csrf-token')).toBe('tok-123');
      expect(calls[0]!.init.body).toBe('{}');
    }
  );

  it.each(['GET', 'HEAD', undefined])('sends no CSRF token on %s', async (method) => {
    const { calls } = stubBrowser({ cookie: 'mc_csrf=tok-123' });
    await apiFetch('/api/v1/alerts', method ? { method } : undefined);
    expect(calls[0]!.headers.has('x-csrf-token')).toBe(false);
  });

  it('sends no CSRF header when there is no cookie', async () => {
    const { calls } = stubBrowser();
    await apiFetch('/api/v1/auth/login', { method: 'POST' });
    expect(calls[0]!.headers.has('x-csrf-token')).toBe(false);
  });

  it('keeps the caller headers', async () => {
    const { calls } = stubBrowser({ cookie: 'mc_csrf=c' });
    await apiFetch('/api/v1/rules', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' }
    });
    expect(calls[0]!.headers.get('content-type')).toBe('application/json');
    expect(calls[0]!.headers.get('x-csrf-token')).toBe('c');
  });

  it('adds X-Display-Token from ?display= and keeps it for later pages', async () => {
    const { calls, store } = stubBrowser({ search: '?display=disp-abc&x=1' });
    expect(displayToken()).toBe('disp-abc');
    await apiFetch('/api/v1/summary');
    expect(calls[0]!.headers.get('x-display-token')).toBe('disp-abc');
    expect([...store.values()]).toEqual(['disp-abc']);
    // Client-side navigation drops the query; the token stays for this tab.
    vi.stubGlobal('location', { search: '?id=1', origin: 'http://wall.test' });
    await apiFetch('/api/v1/alerts');
    expect(calls[1]!.headers.get('x-display-token')).toBe('disp-abc');
    expect(displayToken()).toBe('disp-abc');
    forgetDisplayToken();
    expect(displayToken()).toBeNull();
    await apiFetch('/api/v1/alerts');
    expect(calls[2]!.headers.has('x-display-token')).toBe(false);
  });

  it('sends no display token without one', async () => {
    const { calls } = stubBrowser({ search: '?id=1' });
    await apiFetch('/api/v1/alerts');
    expect(calls[0]!.headers.has('x-display-token')).toBe(false);
    expect(displayToken()).toBeNull();
  });

  it('works when sessionStorage throws (blocked storage)', async () => {
    stubBrowser({ search: '?display=d1' });
    vi.stubGlobal('sessionStorage', {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
      removeItem: () => {
        throw new Error('blocked');
      }
    });
    expect(displayToken()).toBe('d1');
    vi.stubGlobal('location', { search: '' });
    expect(displayToken()).toBeNull();
    expect(() => forgetDisplayToken()).not.toThrow();
  });
});

describe('readProblem and problemFor', () => {
  it('reads { error, field } bodies', async () => {
    const p = await readProblem(
      new Response(JSON.stringify({ error: 'username taken', field: 'username' }), { status: 409 })
    );
    expect(p).toEqual({
      status: 409,
      error: 'username taken',
      field: 'username',
      errors: [],
      retryAfter: null
    });
    expect(problemFor(p, 'username')).toBe('username taken');
    expect(problemFor(p, 'password')).toBeNull();
  });

  it('reads errors[] with paths (strings or arrays) and finds them by field', async () => {
    const p = await readProblem(
      new Response(
        JSON.stringify({
          error: 'invalid tracking',
          field: 'brand.handles.1',
          errors: [
            { path: 'brand.handles.1', message: 'must be a handle' },
            { path: ['keywords', 0], message: 'must not be empty' }
          ]
        }),
        { status: 400 }
      )
    );
    expect(p.errors).toEqual([
      { path: 'brand.handles.1', message: 'must be a handle' },
      { path: 'keywords.0', message: 'must not be empty' }
    ]);
    expect(problemFor(p, 'brand.handles')).toBe('brand.handles.1: must be a handle');
    expect(problemFor(p, 'keywords')).toBe('keywords.0: must not be empty');
    expect(problemFor(p, 'keywords.0')).toBe('must not be empty');
    expect(problemFor(p, 'hashtags')).toBeNull();
    expect(problemFor(null, 'keywords')).toBeNull();
  });

  it('survives bodies that are not JSON and reads Retry-After', async () => {
    const p = await readProblem(
      new Response('<html>busy</html>', {
        status: 429,
        statusText: 'Too Many Requests',
        headers: { 'retry-after': '120' }
      })
    );
    expect(p.error).toBe('The server answered 429 Too Many Requests.');
    expect(p.retryAfter).toBe(120);
    expect(p.field).toBeNull();
  });
});

describe('roles', () => {
  const table: [string | null, Record<'view' | 'act' | 'manage' | 'admin', boolean>][] = [
    [null, { view: false, act: false, manage: false, admin: false }],
    ['viewer', { view: true, act: false, manage: false, admin: false }],
    ['agent', { view: true, act: true, manage: false, admin: false }],
    ['manager', { view: true, act: true, manage: true, admin: false }],
    ['admin', { view: true, act: true, manage: true, admin: true }],
    ['root', { view: false, act: false, manage: false, admin: false }]
  ];

  it.each(table)('%s may do %j', (role, can) => {
    for (const [permission, allowed] of Object.entries(can)) {
      expect(roleCan(role as never, permission as keyof typeof can)).toBe(allowed);
    }
  });
});

describe('Session', () => {
  beforeEach(() => {
    stubBrowser();
  });

  it('loads /api/v1/auth/me once and answers can()', async () => {
    const fetcher = vi.fn(async () =>
      Response.json({
        user: { username: 'casey', role: 'agent' },
        role: 'agent',
        via: 'session',
        display: null,
        csrf: 'c',
        setupRequired: false
      })
    );
    const s = new Session(fetcher);
    expect(s.loaded).toBe(false);
    await Promise.all([s.load(), s.load()]);
    await s.load();
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(fetcher).toHaveBeenCalledWith('/api/v1/auth/me');
    expect(s.loaded).toBe(true);
    expect(s.user).toEqual({ username: 'casey', role: 'agent' });
    expect(s.via).toBe('session');
    expect(s.can('act')).toBe(true);
    expect(s.can('manage')).toBe(false);
  });

  it('knows a display and an anonymous viewer', async () => {
    const s = new Session(async () =>
      Response.json({
        user: null,
        role: 'viewer',
        via: 'display',
        display: { id: 'd1', name: 'Lobby', scene: null, privacy: true },
        csrf: null,
        setupRequired: false
      })
    );
    await s.load();
    expect(s.user).toBeNull();
    expect(s.display?.name).toBe('Lobby');
    expect(s.can('view')).toBe(true);
    expect(s.can('act')).toBe(false);
  });

  it('records a failure and may do nothing', async () => {
    const s = new Session(async () => new Response('', { status: 500 }));
    await s.load();
    expect(s.loaded).toBe(true);
    expect(s.error).toBe('HTTP 500');
    expect(s.can('view')).toBe(false);
  });

  it('signs out with a POST and reloads who is looking', async () => {
    const paths: [string, RequestInit | undefined][] = [];
    let signedIn = true;
    const s = new Session(async (path: string, init?: RequestInit) => {
      paths.push([path, init]);
      if (path === '/api/v1/auth/logout') {
        signedIn = false;
        return new Response(null, { status: 204 });
      }
      return Response.json({
        user: signedIn ? { username: 'admin', role: 'admin' } : null,
        role: signedIn ? 'admin' : null,
        via: signedIn ? 'session' : null,
        display: null,
        csrf: null,
        setupRequired: false
      });
    });
    await s.load();
    expect(s.can('admin')).toBe(true);
    expect(await s.logout()).toBe(true);
    expect(paths.map(([p, i]) => `${i?.method ?? 'GET'} ${p}`)).toEqual([
      'GET /api/v1/auth/me',
      'POST /api/v1/auth/logout',
      'GET /api/v1/auth/me'
    ]);
    expect(s.user).toBeNull();
    expect(s.can('view')).toBe(false);
  });
});

describe('isUnauthorised', () => {
  it('recognises the server refusing the handshake', () => {
    expect(isUnauthorised(new Error('unauthorised: sign in or use a display token'))).toBe(true);
    expect(isUnauthorised(new Error('Unauthorised'))).toBe(true);
    expect(isUnauthorised(new Error('xhr poll error'))).toBe(false);
    expect(isUnauthorised(undefined)).toBe(false);
  });
});
