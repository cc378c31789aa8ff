import { describe, expect, it } from 'vitest';
import { loginPath, safeNext } from '../../../src/lib/auth/redirect';

describe('safeNext', () => {
  const kept: [string, string][] = [
    ['/', '/'],
    ['/alerts', '/alerts'],
    ['/alerts?id=abc', '/alerts?id=abc'],
    ['/settings#users', '/settings#users'],
    ['/explore?from=1&to=2&q=melted', '/explore?from=1&to=2&q=melted'],
    ['/explore?q=%2F%2Fevil.com', '/explore?q=%2F%2Fevil.com'],
    ['/alerts/rules', '/alerts/rules'],
    ['/a/../settings', '/settings']
  ];

  it.each(kept)('keeps the same-site path %j', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  const refused: [string, string | null | undefined][] = [
    ['null', null],
    ['undefined', undefined],
    ['empty', ''],
    ['protocol-relative', '//evil.com'],
    ['protocol-relative with path', '//evil.com/alerts'],
    ['triple slash', '///evil.com'],
    ['dot segment before a double slash', '/.//evil.com'],
    ['dot-dot segment before a double slash', '/..//evil.com'],
    ['collapsing path before a double slash', '/x/..//evil.com'],
    ['encoded dot before a double slash', '/%2e//evil.com'],
    ['encoded dot-dot before a double slash', '/%2e%2e//evil.com'],
    ['backslash host', '/\\evil.com'],
    ['double backslash', '\\\\evil.com'],
    ['backslash then slash', '\\/evil.com'],
    ['slash backslash later', '/x\\..\\\\evil.com'],
    ['absolute https', 'https://evil.com'],
    ['absolute http', 'http://evil.com/'],
    ['scheme without slashes', 'https:evil.com'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['JavaScript scheme mixed case', 'JaVaScRiPt:alert(1)'],
    ['data scheme', 'data:text/html,<script>alert(1)</script>'],
    ['relative path', 'alerts'],
    ['dot relative', './alerts'],
    ['encoded double slash', '/%2F%2Fevil.com'],
    ['encoded double slash lower case', '/%2f%2fevil.com'],
    ['encoded backslash', '/%5Cevil.com'],
    ['encoded slash after slash', '/%2Fevil.com'],
    ['double encoded slash', '/%252F%252Fevil.com'],
    ['leading tab', '\t//evil'],
    ['tab inside the slashes', '/\t/evil.com'],
    ['newline inside the slashes', '/\n/evil.com'],
    ['carriage return', '/\r/evil.com'],
    ['leading space', ' /x'],
    ['trailing space', '/x '],
    ['encoded newline', '/%0A/evil.com'],
    ['encoded carriage return', '/x%0d%0aSet-Cookie:a=b'],
    ['encoded tab', '/%09/evil.com'],
    ['encoded null', '/x%00'],
    ['null byte', '/x\u0000'],
    ['DEL', '/x\u007f'],
    ['C1 control', '/x\u0085'],
    ['no-break space', '/\u00a0/evil.com'],
    ['line separator', '/\u2028/evil.com'],
    ['zero-width space', '/\u200b/evil.com'],
    ['BOM', '\ufeff/x'],
    ['broken percent encoding', '/%E0%A4%A'],
    ['userinfo trick', '//user@evil.com'],
    ['very long', `/${'a'.repeat(3000)}`]
  ];

  it.each(refused)('refuses %s', (_name, next) => {
    expect(safeNext(next)).toBe('/');
  });

  it('never returns anything but a single-slash path', () => {
    for (const [, next] of [...refused, ...kept.map(([n]) => ['', n] as const)]) {
      const out = safeNext(next);
      expect(out.startsWith('/')).toBe(true);
      expect(out.startsWith('//')).toBe(false);
      expect(out.includes('\\')).toBe(false);
    }
  });
});

describe('loginPath', () => {
  it('sends back to the current page, without its display token', () => {
    expect(loginPath({ pathname: '/alerts', search: '?id=a1&display=secret' })).toBe(
      '/login?next=%2Falerts%3Fid%3Da1'
    );
    expect(loginPath({ pathname: '/', search: '?display=secret' })).toBe('/login?next=%2F');
    expect(loginPath({ pathname: '/settings', search: '', hash: '#users' })).toBe(
      '/login?next=%2Fsettings%23users'
    );
  });

  it('does not loop back to the login page', () => {
    expect(loginPath({ pathname: '/login', search: '?next=%2Falerts' })).toBe('/login');
  });
});
