import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

/*
 * Hardening of the production server (server/main.ts serving the built UI: run `npx vite build`
 * first): no path traversal out of the static files, security headers on pages and the API, no
 * open redirect after signing in, and no cross-origin mutations or sockets.
 */

const PASSWORD = 'hardening-admin-password';
const INGEST_TOKEN = 'hardening-ingest-token-0123456789';
const EVIL = 'https://evil.example';

const servers: ServerProcess[] = [];
const dirs: string[] = [];

async function serve(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-e2e-hardening-'));
  dirs.push(dir);
  const s = await startServerProcess({
    DATA_DIR: dir,
    SIMULATOR: 'off',
    ADMIN_PASSWORD: PASSWORD,
    INGEST_TOKEN,
    ...env
  });
  servers.push(s);
  return s;
}

let server: ServerProcess;

test.beforeAll(async () => {
  server = await serve();
});

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  body: string;
}

/** A GET with the request target exactly as given (node:http does not normalise `path`). */
function rawGet(port: number, path: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let req;
    try {
      req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1') })
        );
        res.on('error', reject);
      });
    } catch {
      // Characters node:http will not put in a request line (NUL, spaces): write it by hand.
      resolve(rawSocketGet(port, path));
      return;
    }
    req.on('error', reject);
    req.end();
  });
}

/** The same over a bare TCP socket, for request targets node:http refuses to send. */
function rawSocketGet(port: number, path: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      socket.write(
        Buffer.from(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
          'latin1'
        )
      );
    });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/** Text that only appears in files that must never be served. */
const SECRETS: { what: string; marker: string }[] = [
  { what: 'package.json', marker: '"devDependencies"' },
  { what: 'package.json', marker: JSON.stringify(readPackageName()) },
  { what: '/etc/passwd', marker: 'root:x:0:0:' },
  { what: 'server/main.ts', marker: 'async function loadUi' },
  { what: 'server sources', marker: "from '../core/auth/access'" },
  { what: 'src sources', marker: 'export const ALERT_SEVERITIES' },
  { what: 'build/handler.js', marker: 'export { handler }' },
  { what: 'tsconfig.json', marker: '"noUncheckedIndexedAccess"' }
];

function readPackageName(): string {
  return (JSON.parse(readFileSync('package.json', 'utf8')) as { name: string }).name;
}

const TRAVERSALS = [
  '/../package.json',
  '/../../../../../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e/package.json',
  '/.%2e/.%2e/package.json',
  '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/_app/../../package.json',
  '/_app/immutable/../../../package.json',
  '/_app/immutable/..%2f..%2f..%2fpackage.json',
  '/_app/immutable/%2e%2e/%2e%2e/%2e%2e/package.json',
  '/_app/immutable/..%2f..%2f..%2fserver%2fmain.ts',
  '/..%5c..%5cpackage.json',
  '/_app\\..\\..\\package.json',
  '/..\\..\\package.json',
  '/..\\..\\..\\..\\etc\\passwd',
  '/%252e%252e/%252e%252e/package.json',
  '/..%252f..%252fpackage.json',
  '/_app/immutable/%252e%252e%252f%252e%252e%252f%252e%252e%252fpackage.json',
  '/..%c0%af..%c0%afpackage.json',
  '/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
  '/static/../server/main.ts',
  '/static/..%2fserver%2fmain.ts',
  '/server/main.ts',
  '/server/core/auth/access.ts',
  '/src/lib/shared/types.ts',
  '/package.json',
  '/tsconfig.json',
  '/build/handler.js',
  '/handler.js',
  '/client/../handler.js',
  '/../build/handler.js',
  '/api/../package.json',
  '/api/v1/../../package.json',
  '/healthz/../package.json',
  '//etc/passwd',
  '///etc/passwd',
  '/package.json%00.js',
  '/package.json\u0000.js',
  '/%00/../package.json',
  '/_app/\u0000/../../package.json',
  '/_app/immutable/..;/..;/package.json',
  'http://127.0.0.1/../package.json',
  '/./package.json',
  '/_app/./../package.json'
];

test('path traversal never reaches files outside the built client', async () => {
  // The static files are served at all (else the test below would prove nothing).
  expect((await rawGet(server.port, '/_app/version.json')).status).toBe(200);
  const leaks: string[] = [];
  const statuses: string[] = [];
  for (const path of TRAVERSALS) {
    const res = await rawGet(server.port, path);
    statuses.push(`${res.status} ${JSON.stringify(path)}`);
    for (const { what, marker } of SECRETS) {
      if (res.body.includes(marker)) {
        leaks.push(`${JSON.stringify(path)} → ${res.status}: ${what} (${marker})`);
      }
    }
  }
  expect(leaks, statuses.join('\n')).toEqual([]);
  // Still up and serving.
  expect((await rawGet(server.port, '/healthz')).status).toBe(200);
});

test('unknown and traversal paths are answered without a server error', async () => {
  const errors: string[] = [];
  for (const path of ['/no-such-page', '/alerts/no-such-page', ...TRAVERSALS]) {
    const res = await rawGet(server.port, path);
    if (res.status >= 500) errors.push(`${res.status} ${JSON.stringify(path)}`);
  }
  expect(errors).toEqual([]);
});

/** Every value of a header (Node sends an array header as several lines). */
function headerValues(res: APIResponse, name: string): string[] {
  return res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === name)
    .map((h) => h.value);
}

test('pages carry a strict CSP, nosniff and a referrer policy', async ({ request }) => {
  for (const path of ['/', '/alerts', '/login', '/explore']) {
    const res = await request.get(`${server.url}${path}`);
    expect(res.status(), path).toBe(200);
    const csp = headerValues(res, 'content-security-policy');
    expect(csp.length, `${path}: CSP`).toBeGreaterThan(0);
    const all = csp.join('; ');
    expect(all, `${path}: CSP`).not.toContain('unsafe-eval');
    expect(all, `${path}: CSP`).toMatch(/frame-ancestors 'self'(;|$)/);
    const scriptSrc = all.split(';').filter((d) => /^\s*script-src\b/.test(d));
    expect(scriptSrc.join(), `${path}: script-src`).not.toContain('unsafe-inline');
    expect(headerValues(res, 'x-content-type-options'), path).toEqual(['nosniff']);
    expect(headerValues(res, 'referrer-policy')[0], path).toBeTruthy();
  }
});

test('FRAME_ANCESTORS lets a wall be embedded by the intranet', async ({ request }) => {
  const framed = await serve({ FRAME_ANCESTORS: "'self' https://intranet.example.com" });
  const res = await request.get(`${framed.url}/`);
  expect(res.status()).toBe(200);
  const csp = headerValues(res, 'content-security-policy').join('; ');
  expect(csp).toContain("frame-ancestors 'self' https://intranet.example.com");
  expect(csp).not.toMatch(/frame-ancestors 'self'(;|$)/);
});

test('API responses carry default-src none and nosniff', async ({ request }) => {
  const cases: [string, number][] = [
    ['/api/v1/auth/me', 200],
    ['/healthz', 200],
    ['/api/v1/summary', 200],
    ['/api/v1/users', 401],
    ['/api/v1/no-such-thing', 404]
  ];
  for (const [path, status] of cases) {
    const res = await request.get(`${server.url}${path}`);
    expect(res.status(), path).toBe(status);
    const csp = headerValues(res, 'content-security-policy');
    expect(csp.length, path).toBeGreaterThan(0);
    expect(csp.join('; '), path).toMatch(/^default-src 'none'/);
    expect(headerValues(res, 'x-content-type-options'), path).toEqual(['nosniff']);
  }
});

/** Signs in through the login form with `next` as given; resolves with where the browser lands. */
async function signInWithNext(page: Page, next: string): Promise<URL> {
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login' || u.origin !== server.url, {
    timeout: 10_000
  });
  await page.waitForLoadState('domcontentloaded');
  return new URL(page.url());
}

test('signing in never redirects to another site', async ({ page }) => {
  // Anything that reaches the evil host is answered locally, so it shows up as its URL.
  await page.route(
    (u) => u.hostname.endsWith('evil.example'),
    (route) => route.fulfill({ status: 200, contentType: 'text/html', body: 'evil' })
  );
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const origin = new URL(server.url).origin;
  // A path on this site is honoured.
  expect((await signInWithNext(page, '/alerts')).pathname).toBe('/alerts');
  const attempts = [
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'https://evil.example',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    '/\t/evil.example',
    '//evil.example@127.0.0.1',
    '/.//evil.example',
    '/..//evil.example',
    '/x/..//evil.example',
    '/%2e//evil.example',
    '/%2e%2e//evil.example',
    'javascript:alert(document.domain)',
    'data:text/html,<script>alert(1)</script>'
  ];
  const escaped: string[] = [];
  for (const next of attempts) {
    const landed = await signInWithNext(page, next);
    if (landed.origin !== origin) escaped.push(`next=${next} → ${landed.href}`);
  }
  expect(escaped).toEqual([]);
  expect(dialogs).toEqual([]);
});

test('mutations from another origin are refused', async ({ request }) => {
  // Signing in (no CSRF token needed) from a foreign page: refused.
  const foreignLogin = await request.post(`${server.url}/api/v1/auth/login`, {
    headers: { origin: EVIL },
    data: { username: 'admin', password: PASSWORD }
  });
  expect(foreignLogin.status()).toBe(403);
  expect(headerValues(foreignLogin, 'set-cookie')).toEqual([]);
  const nullLogin = await request.post(`${server.url}/api/v1/auth/login`, {
    headers: { origin: 'null' },
    data: { username: 'admin', password: PASSWORD }
  });
  expect(nullLogin.status()).toBe(403);

  // A signed-in session (this request context holds the cookies) with its CSRF token.
  const login = await request.post(`${server.url}/api/v1/auth/login`, {
    data: { username: 'admin', password: PASSWORD }
  });
  expect(login.status()).toBe(200);
  const { csrf } = (await login.json()) as { csrf: string };
  const rule = {
    name: 'Cross-origin rule',
    kind: 'keyword',
    enabled: false,
    severity: 'info',
    scope: {},
    forMs: 0,
    holdMs: 0,
    escalateAfterMs: null,
    terms: ['crossorigin'],
    minCount: 1,
    windowMs: 60_000
  };
  for (const origin of [EVIL, 'http://127.0.0.1.evil.example', 'null']) {
    const res = await request.post(`${server.url}/api/v1/rules`, {
      headers: { origin, 'x-csrf-token': csrf },
      data: rule
    });
    expect(res.status(), origin).toBe(403);
    const del = await request.delete(`${server.url}/api/v1/rules/default-volume-anomaly`, {
      headers: { origin, 'x-csrf-token': csrf }
    });
    expect(del.status(), origin).toBe(403);
  }
  const ingest = await request.post(`${server.url}/api/v1/mentions`, {
    headers: { origin: EVIL, authorization: `Bearer ${INGEST_TOKEN}` },
    data: []
  });
  expect(ingest.status()).toBe(403);
  const logout = await request.post(`${server.url}/api/v1/auth/logout`, {
    headers: { origin: EVIL }
  });
  expect(logout.status()).toBe(403);
  // The same requests from the server's own origin go through.
  const own = await request.post(`${server.url}/api/v1/rules`, {
    headers: { origin: new URL(server.url).origin, 'x-csrf-token': csrf },
    data: rule
  });
  expect(own.status()).toBe(201);
  const rules = (await (await request.get(`${server.url}/api/v1/rules`)).json()) as {
    rules: { id: string; name: string }[];
  };
  expect(rules.rules.filter((r) => r.name === rule.name)).toHaveLength(1);
  expect(rules.rules.some((r) => r.id === 'default-volume-anomaly')).toBe(true);
});

/** Opens a Socket.IO connection with an Origin header; resolves 'connected' or the error. */
function socketWithOrigin(origin: string, transport: 'websocket' | 'polling'): Promise<string> {
  return new Promise((resolve) => {
    const s = io(server.url, {
      transports: [transport],
      extraHeaders: { origin },
      reconnection: false,
      forceNew: true,
      timeout: 5000
    });
    s.once('connect', () => {
      s.disconnect();
      resolve('connected');
    });
    s.once('connect_error', (err: Error) => {
      s.disconnect();
      resolve(`refused: ${err.message}`);
    });
  });
}

test('a Socket.IO connection from a foreign origin is refused', async () => {
  const own = new URL(server.url).origin;
  expect(await socketWithOrigin(own, 'websocket')).toBe('connected');
  expect(await socketWithOrigin(own, 'polling')).toBe('connected');
  for (const origin of [EVIL, 'null', `${own}.evil.example`, 'http://localhost.evil.example']) {
    expect(await socketWithOrigin(origin, 'websocket'), origin).toMatch(/^refused/);
    expect(await socketWithOrigin(origin, 'polling'), origin).toMatch(/^refused/);
  }
});
