import { describe, expect, it } from 'vitest';
import {
  HTTP_ACCESS,
  allows,
  matchAccess,
  refusalStatus,
  routeParams,
  type Permission,
  type Principal
} from '../../../server/core/auth/access';
import { FailureLimiter, TokenBucket } from '../../../server/core/auth/rate-limit';

const user = (role: 'viewer' | 'agent' | 'manager' | 'admin'): Principal => ({
  kind: 'user',
  username: role,
  role,
  sessionId: 's',
  csrf: 'c'
});
const token = (...scopes: ('ingest' | 'read' | 'admin')[]): Principal => ({
  kind: 'token',
  id: 't',
  name: 't',
  scopes
});
const display: Principal = { kind: 'display', id: 'd', name: 'd', scene: null, privacy: false };

const PERMS: Permission[] = ['public', 'read', 'explore', 'act', 'manage', 'admin', 'ingest'];

describe('allows', () => {
  // Each row: principal, then the permissions it holds (all others are refused).
  it.each([
    [
      'anonymous (not allowed to read)',
      { kind: 'anonymous', viewer: false } as Principal,
      ['public']
    ],
    ['anonymous viewer', { kind: 'anonymous', viewer: true } as Principal, ['public', 'read']],
    ['display', display, ['public', 'read']],
    ['viewer', user('viewer'), ['public', 'read']],
    ['agent', user('agent'), ['public', 'read', 'act']],
    ['manager', user('manager'), ['public', 'read', 'explore', 'act', 'manage']],
    ['admin', user('admin'), ['public', 'read', 'explore', 'act', 'manage', 'admin']],
    ['ingest token', token('ingest'), ['public', 'ingest']],
    ['read token', token('read'), ['public', 'read', 'explore']],
    ['admin token', token('admin'), PERMS]
  ] as const)('%s', (_name, p, held) => {
    for (const perm of PERMS) expect(allows(p, perm), perm).toBe(held.includes(perm as never));
  });

  it('refuses anonymous callers with 401 and everyone else with 403', () => {
    expect(refusalStatus({ kind: 'anonymous', viewer: true })).toBe(401);
    expect(refusalStatus(user('viewer'))).toBe(403);
    expect(refusalStatus(display)).toBe(403);
    expect(refusalStatus(token('read'))).toBe(403);
  });
});

describe('matchAccess', () => {
  it.each([
    ['GET', '/api/v1/rules', 'route', 'GET /api/v1/rules'],
    ['HEAD', '/api/v1/rules', 'route', 'GET /api/v1/rules'],
    ['POST', '/api/v1/rules/backtest', 'route', 'POST /api/v1/rules/backtest'],
    ['GET', '/api/v1/rules/backtest', 'route', 'GET /api/v1/rules/:id'],
    ['PUT', '/api/v1/rules/r1', 'route', 'PUT /api/v1/rules/:id'],
    ['POST', '/api/v1/alerts/a1/ack', 'route', 'POST /api/v1/alerts/:id/ack'],
    ['POST', '/api/v1/alerts/a1/explode', 'none', ''],
    ['PATCH', '/api/v1/rules/r1', 'method', ''],
    ['GET', '/api/v1/rules/', 'none', ''],
    ['GET', '/api/v1/alerts//ack', 'none', ''],
    ['GET', '/api/v2/rules', 'none', ''],
    ['GET', '/api/v1/rules/a/b/c', 'none', '']
  ])('%s %s → %s', (method, path, kind, route) => {
    const m = matchAccess(method, path);
    expect(m.kind).toBe(kind);
    if (m.kind === 'route') expect(`${m.route.method} ${m.route.path}`).toBe(route);
  });

  it('lists each method and path once', () => {
    const keys = HTTP_ACCESS.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('decodes parameters and refuses broken percent-encoding', () => {
    expect(routeParams('/api/v1/users/:username', '/api/v1/users/a%2Eb')).toEqual({
      username: 'a.b'
    });
    expect(routeParams('/api/v1/users/:username', '/api/v1/users/%E0%A4%A')).toBeNull();
  });
});

describe('limiters (fake clock)', () => {
  it('FailureLimiter: refuses after the limit until the oldest failure leaves the window', () => {
    const l = new FailureLimiter(3, 1000);
    l.fail('k', 0);
    l.fail('k', 100);
    expect(l.retryAfter('k', 200)).toBe(0);
    l.fail('k', 200);
    expect(l.retryAfter('k', 300)).toBe(700);
    expect(l.retryAfter('k', 999)).toBe(1);
    expect(l.retryAfter('k', 1000)).toBe(0);
    expect(l.retryAfter('k', 1001)).toBe(0);
    expect(l.retryAfter('other', 300)).toBe(0);
    l.clear('k');
    expect(l.retryAfter('k', 300)).toBe(0);
  });

  it('FailureLimiter: remembers a bounded number of keys', () => {
    const l = new FailureLimiter(1, 1000, 2);
    l.fail('a', 0);
    l.fail('b', 0);
    l.fail('c', 0);
    expect(l.retryAfter('a', 1)).toBe(0);
    expect(l.retryAfter('c', 1)).toBeGreaterThan(0);
  });

  it('TokenBucket: a burst, then the refill rate', () => {
    const b = new TokenBucket(10, 3, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(50)).toBe(false);
    expect(b.take(100)).toBe(true);
    expect(b.take(100)).toBe(false);
  });
});
